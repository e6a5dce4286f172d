import type { Admin } from 'kafkajs';

/**
 * Creates whichever of the topics do not exist yet and waits for their partition leaders; existing topics
 * are left as they are. Returns the names it created. The replication factor defaults to the broker's.
 */
export async function ensureTopics(
  admin: Admin,
  names: readonly string[],
  partitions: number,
  replicationFactor = -1,
): Promise<string[]> {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(names)].filter((name) => !existing.has(name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
    waitForLeaders: false,
  });
  await waitForLeaders(admin, missing);
  return missing;
}

/** Metadata errors a broker answers while a new topic's leadership settles (kafkajs error `type`s). */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Polls the topics' metadata until every partition has a leader. kafkajs's own `waitForLeaders` retries
 * only LEADER_NOT_AVAILABLE, while a KRaft broker may first answer UNKNOWN_TOPIC_OR_PARTITION for a topic
 * it has just created ("This server does not host this topic-partition"), failing the create.
 */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1000)) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        return;
    } catch (err) {
      if (!SETTLING.has(String((err as { type?: unknown }).type)) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(`Kafka topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
