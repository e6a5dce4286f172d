/** Carries a consumer group's committed offsets over to another group, with kafkajs's admin (see GroupMove). */
import type { Admin, FetchOffsetsPartition } from 'kafkajs';
import type { CarriedOffsets, GroupMove } from './topics.js';

/** Partitions with a committed offset (Kafka answers -1 for none, and for a group that does not exist). */
const committed = (partitions: FetchOffsetsPartition[]) => partitions.filter((p) => Number(p.offset) >= 0);

/**
 * How long one setOffsets may take: kafkajs joins the group with a throw-away consumer and resolves only once
 * it has, so a join that never completes would hold one of the admin connections for ever. Past this the
 * reconcile fails (KafkaUnavailable) and is retried (a group left with offsets for some topics only is then left
 * as it is: the rest start at the component's initialOffset).
 */
const SET_OFFSETS_TIMEOUT_MS = 60_000;

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sets the offsets of `move.to` to those `move.from` committed for the move's topics, only while `move.to` has no
 * members and no offsets of its own: a group in use, or one that already consumed, is never moved. A partition
 * `move.from` committed nothing for is left to the component's `initialOffset`.
 */
export async function carryOver(admin: Admin, move: GroupMove): Promise<CarriedOffsets> {
  const {
    groups: [group],
  } = await admin.describeGroups([move.to]);
  // A group that never existed is Dead; setOffsets joins the group to commit, and refuses a group with members.
  if (group && group.state !== 'Empty' && group.state !== 'Dead')
    return { move, outcome: 'active', partitions: 0 };
  const own = await admin.fetchOffsets({ groupId: move.to, topics: move.topics });
  if (own.some((t) => committed(t.partitions).length)) return { move, outcome: 'committed', partitions: 0 };
  let partitions = 0;
  for (const { topic, partitions: old } of await admin.fetchOffsets({
    groupId: move.from,
    topics: move.topics,
  })) {
    const offsets = committed(old).map(({ partition, offset }) => ({ partition, offset }));
    if (!offsets.length) continue;
    await within(
      SET_OFFSETS_TIMEOUT_MS,
      `setting the offsets of consumer group ${move.to}`,
      admin.setOffsets({ groupId: move.to, topic, partitions: offsets }),
    );
    partitions += offsets.length;
  }
  return { move, outcome: partitions ? 'carried' : 'nothing', partitions };
}
