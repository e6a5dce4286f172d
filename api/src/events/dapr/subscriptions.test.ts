import { describe, expect, it } from 'vitest';
import { daprResponseFor, daprSubscriptions } from './subscriptions.js';

describe('daprSubscriptions', () => {
  it('subscribes every contract topic to its route on the named pubsub component, with the dead-letter topic', () => {
    const dlt = { deadLetterTopic: 'dead-letters' };
    expect(daprSubscriptions(undefined, 'kafka-pubsub')).toEqual([
      { pubsubname: 'kafka-pubsub', topic: 'task-events', route: '/events/tasks', ...dlt },
      { pubsubname: 'kafka-pubsub', topic: 'reminders', route: '/events/reminders', ...dlt },
      { pubsubname: 'kafka-pubsub', topic: 'task-updates', route: '/events/updates', ...dlt },
    ]);
  });

  it('applies the topic prefix with a dot to the topics and the dead-letter topic, leaving routes unchanged', () => {
    expect(
      daprSubscriptions('acme', 'acme-pubsub').map((s) => [
        s.pubsubname,
        s.topic,
        s.route,
        s.deadLetterTopic,
      ]),
    ).toEqual([
      ['acme-pubsub', 'acme.task-events', '/events/tasks', 'acme.dead-letters'],
      ['acme-pubsub', 'acme.reminders', '/events/reminders', 'acme.dead-letters'],
      ['acme-pubsub', 'acme.task-updates', '/events/updates', 'acme.dead-letters'],
    ]);
  });
});

describe('daprResponseFor', () => {
  it.each([
    ['success', 'SUCCESS'],
    ['retry', 'RETRY'],
    ['drop', 'DROP'],
  ] as const)('answers %s as HTTP 200 with status %s', (result, status) => {
    expect(daprResponseFor(result)).toEqual({ statusCode: 200, body: { status } });
  });
});
