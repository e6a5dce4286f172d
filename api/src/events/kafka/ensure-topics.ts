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
    waitForLeaders: true,
  });
  return missing;
}
