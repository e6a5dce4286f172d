import { describe, expect, it } from 'vitest';
import { allTopicNames } from '../../../api/src/events/topics.js';
import { topicNames } from './topics.js';

describe('topicNames', () => {
  it('are the ones the API publishes to under the same prefix', () => {
    expect(topicNames('acme')).toEqual(allTopicNames('acme'));
  });
});
