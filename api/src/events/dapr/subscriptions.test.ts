import { describe, expect, it } from 'vitest';
import { DAPR_BULK_SUBSCRIBE, daprSubscriptions } from './subscriptions.js';

describe('daprSubscriptions', () => {
  it('subscribes every contract topic to its route, each on a pubsub component of its own, with the dead-letter topic and bulk delivery', () => {
    const dlt = { deadLetterTopic: 'dead-letters', bulkSubscribe: DAPR_BULK_SUBSCRIBE };
    expect(daprSubscriptions(undefined, 'kafka-pubsub')).toEqual([
      { pubsubname: 'kafka-pubsub', topic: 'task-events', route: '/events/tasks', ...dlt },
      { pubsubname: 'kafka-pubsub-reminders', topic: 'reminders', route: '/events/reminders', ...dlt },
      { pubsubname: 'kafka-pubsub-task-updates', topic: 'task-updates', route: '/events/updates', ...dlt },
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
      ['acme-pubsub-reminders', 'acme.reminders', '/events/reminders', 'acme.dead-letters'],
      ['acme-pubsub-task-updates', 'acme.task-updates', '/events/updates', 'acme.dead-letters'],
    ]);
  });
});

describe('DAPR_BULK_SUBSCRIBE', () => {
  it('uses the field names daprd v1.18 reads (pkg/runtime/pubsub BulkSubscribeJSON), with a short flush period', () => {
    expect(Object.keys(DAPR_BULK_SUBSCRIBE).sort()).toEqual([
      'enabled',
      'maxAwaitDurationMs',
      'maxMessagesCount',
    ]);
    expect(DAPR_BULK_SUBSCRIBE.enabled).toBe(true);
    // The Kafka component's ticker flushes at this period: it is what batching adds to an event's latency.
    expect(DAPR_BULK_SUBSCRIBE.maxAwaitDurationMs).toBeLessThanOrEqual(10);
  });
});
