import { deadLetterTopicName, subscriptionPubsubName, type TopicKey, topicName } from '@todo/contract';

/** The app routes Dapr delivers each topic to; `task-updates` feeds the live stream (SSE) of this replica. */
export const DAPR_ROUTES: Record<TopicKey, string> = {
  taskEvents: '/events/tasks',
  reminders: '/events/reminders',
  taskUpdates: '/events/updates',
};

/**
 * Bulk subscribe: the sidecar hands a partition's records over up to 250 at a time (each consumer applies them at
 * once, as behind the kafkajs consumer) instead of one HTTP call per record. Dapr's Kafka component flushes a
 * partition's pending records every `maxAwaitDurationMs` (a ticker), but only when its component's mutex is free:
 * what an event waits is mostly the deliveries queued ahead of it (docs/events.md); 2 and 20 ms did no better.
 */
export const DAPR_BULK_SUBSCRIBE = { enabled: true, maxMessagesCount: 250, maxAwaitDurationMs: 5 } as const;

/** One entry of the programmatic subscription list Dapr reads from `GET /dapr/subscribe`. */
export interface DaprSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  /**
   * Where the sidecar publishes an event it could not hand over: answered RETRY (or failed) until the tenant's
   * resiliency policy gave up, or answered DROP. Without one, a RETRY forever holds up its partition.
   */
  deadLetterTopic: string;
  bulkSubscribe: typeof DAPR_BULK_SUBSCRIBE;
}

/**
 * The subscriptions this app declares: every contract topic (with the TOPIC_PREFIX rule) to its route, each through
 * its own pubsub component (`subscriptionPubsubName`, which the operator renders), all with the tenant's
 * dead-letter topic and bulk delivery.
 */
export function daprSubscriptions(prefix: string | undefined, pubsubName: string): DaprSubscription[] {
  return (Object.keys(DAPR_ROUTES) as TopicKey[]).map((key) => ({
    pubsubname: subscriptionPubsubName(pubsubName, key),
    topic: topicName(key, prefix),
    route: DAPR_ROUTES[key],
    deadLetterTopic: deadLetterTopicName(prefix),
    bulkSubscribe: DAPR_BULK_SUBSCRIBE,
  }));
}
