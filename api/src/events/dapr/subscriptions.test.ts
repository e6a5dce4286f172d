import { describe, expect, it } from 'vitest';
import { daprResponseFor, daprSubscriptions } from './subscriptions.js';

describe('daprSubscriptions', () => {
  it('subscribes every contract topic to its route on the named pubsub component', () => {
    expect(daprSubscriptions(undefined, 'kafka-pubsub')).toEqual([
      { pubsubname: 'kafka-pubsub', topic: 'task-events', route: '/events/tasks' },
      { pubsubname: 'kafka-pubsub', topic: 'reminders', route: '/events/reminders' },
      { pubsubname: 'kafka-pubsub', topic: 'task-updates', route: '/events/updates' },
    ]);
  });

  it('applies the topic prefix with a dot, leaving routes unchanged', () => {
    expect(daprSubscriptions('acme', 'acme-pubsub').map((s) => [s.pubsubname, s.topic, s.route])).toEqual([
      ['acme-pubsub', 'acme.task-events', '/events/tasks'],
      ['acme-pubsub', 'acme.reminders', '/events/reminders'],
      ['acme-pubsub', 'acme.task-updates', '/events/updates'],
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
