/** Reads consumer groups' offsets and state with kafkajs's admin, for the consumer watchdog (watchdog/). */
import type { Admin } from 'kafkajs';
import type { ConsumerGroupLag, ConsumerGroupQuery, PartitionOffsets } from './topics.js';

/**
 * One DescribeGroups for all `groups`, then per group its committed offsets and per topic the watermarks: a
 * partition the group committed nothing on keeps `committed` -1 (the judge counts from `start` then).
 */
export async function readConsumerLag(
  admin: Admin,
  groups: ConsumerGroupQuery[],
): Promise<ConsumerGroupLag[]> {
  if (!groups.length) return [];
  const described = new Map(
    (await admin.describeGroups(groups.map((g) => g.groupId))).groups.map((g) => [g.groupId, g]),
  );
  const watermarks = new Map<string, Map<number, { start: number; end: number }>>();
  for (const topic of new Set(groups.flatMap((g) => g.topics))) {
    const offsets = await admin.fetchTopicOffsets(topic);
    watermarks.set(
      topic,
      new Map(offsets.map((o) => [o.partition, { start: Number(o.low), end: Number(o.high) }])),
    );
  }
  const result: ConsumerGroupLag[] = [];
  for (const { groupId, topics } of groups) {
    const committed = await admin.fetchOffsets({ groupId, topics });
    const partitions: PartitionOffsets[] = [];
    for (const { topic, partitions: offsets } of committed) {
      const marks = watermarks.get(topic);
      for (const { partition, offset } of offsets) {
        const mark = marks?.get(partition);
        if (mark) partitions.push({ topic, partition, committed: Number(offset), ...mark });
      }
    }
    const group = described.get(groupId);
    result.push({
      groupId,
      // A group Kafka never heard of is described as Dead with no members.
      state: group?.state ?? 'Dead',
      members: group?.members.length ?? 0,
      partitions: partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
    });
  }
  return result;
}
