/** The three topics of the contract; every publisher and subscriber takes names from here. */
export const TOPICS = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  taskUpdates: 'task-updates',
} as const;

export type TopicKey = keyof typeof TOPICS;

/**
 * Where the Dapr sidecar puts an event its subscriber did not take (its retries spent, or answered DROP): one
 * per tenant for all three topics; the event's `type` (and the `topic` Dapr adds to it) tells where it was bound.
 */
export const DEAD_LETTER_TOPIC = 'dead-letters';

/** The prefix rule: `<prefix>.<name>` when a prefix is set (TOPIC_PREFIX or the TodoApp's kafka.topicPrefix). */
const prefixed = (name: string, prefix?: string): string => (prefix ? `${prefix}.${name}` : name);

export function topicName(key: TopicKey, prefix?: string): string {
  return prefixed(TOPICS[key], prefix);
}

export function deadLetterTopicName(prefix?: string): string {
  return prefixed(DEAD_LETTER_TOPIC, prefix);
}

/**
 * The Dapr pubsub component a topic's subscription goes through: PUBSUB_NAME (which also publishes) for task events,
 * `<PUBSUB_NAME>-<topic>` for the others, so busy topics do not take turns on one component's delivery mutex.
 */
export function subscriptionPubsubName(pubsubName: string, key: TopicKey): string {
  return key === 'taskEvents' ? pubsubName : `${pubsubName}-${TOPICS[key]}`;
}

/** Every topic a tenant needs created: the three above and its dead letters. */
export function allTopicNames(prefix?: string): string[] {
  return [
    ...(Object.keys(TOPICS) as TopicKey[]).map((k) => topicName(k, prefix)),
    deadLetterTopicName(prefix),
  ];
}
