/** The three topics of the contract; every publisher and subscriber takes names from here. */
export const TOPICS = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  taskUpdates: 'task-updates',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** `<prefix>.<topic>` when a prefix is set (TOPIC_PREFIX or the TodoApp's kafka.topicPrefix), else the bare name. */
export function topicName(key: TopicKey, prefix?: string): string {
  return prefix ? `${prefix}.${TOPICS[key]}` : TOPICS[key];
}

export function allTopicNames(prefix?: string): string[] {
  return (Object.keys(TOPICS) as TopicKey[]).map((k) => topicName(k, prefix));
}
