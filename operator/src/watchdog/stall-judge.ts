/**
 * Decides from successive samples of a consumer group whether it stopped consuming while its members stay in it
 * (docs/events.md, "A consumer that stops"). Pure: the watchdog keeps what it returns and passes it back.
 */
import type { ConsumerGroupLag } from '../reconcile/topics.js';

/** A partition behind its end: the committed offset it showed, and since when (ms) it has shown that one. */
export interface PartitionWatch {
  committed: number;
  since: number;
}

/** What the judge remembers of one group, by `topic/partition`. */
export type GroupWatch = ReadonlyMap<string, PartitionWatch>;

export interface StalledPartition {
  topic: string;
  partition: number;
  committed: number;
  end: number;
  lag: number;
  /** When the committed offset was first seen where it still is, with records after it (ms). */
  since: number;
}

export interface GroupJudgement {
  /** To pass back with the next sample. */
  watch: GroupWatch;
  /** Records behind the end, over the group's partitions. */
  lag: number;
  stalled: StalledPartition[];
}

/**
 * A group whose members consume: Stable with at least one member. Without members the pods are down (not this
 * fault).
 */
export const hasActiveMembers = (group: Pick<ConsumerGroupLag, 'state' | 'members'>): boolean =>
  group.state === 'Stable' && group.members > 0;

/**
 * A partition is stalled when the partition has records after its committed offset (nothing committed: its start)
 * and that offset has not moved for `stallMs`, counted from the first sample of the group with members that showed
 * it there with a lag, and the group is Stable with members now. A moved offset, an empty lag or a group without
 * members starts over. A rebalance does not: a member stuck in a delivery can keep its group rebalancing, over and
 * over, without a record consumed (dapr/components-contrib#4580), and a clock that started again with every
 * rebalance would never get to `stallMs`; once the group is Stable again with the offset still where it was, that
 * is the stall.
 *
 * `anyState` also counts, and stalls, a group without members or in the middle of a rebalance: for a caller that
 * knows the members should be consuming (the end-to-end tests, once their fault is over).
 */
export function judgeGroup(
  previous: GroupWatch | undefined,
  sample: ConsumerGroupLag,
  now: number,
  stallMs: number,
  { anyState = false }: { anyState?: boolean } = {},
): GroupJudgement {
  const watch = new Map<string, PartitionWatch>();
  const stalled: StalledPartition[] = [];
  const counting = anyState || sample.members > 0;
  const judging = anyState || hasActiveMembers(sample);
  let lag = 0;
  for (const p of sample.partitions) {
    const committed = p.committed < 0 ? p.start : p.committed;
    const behind = Math.max(0, p.end - committed);
    lag += behind;
    if (!counting || behind === 0) continue;
    const key = `${p.topic}/${p.partition}`;
    const before = previous?.get(key);
    const since = before?.committed === committed ? before.since : now;
    watch.set(key, { committed, since });
    if (judging && now - since >= stallMs)
      stalled.push({ topic: p.topic, partition: p.partition, committed, end: p.end, lag: behind, since });
  }
  return { watch, lag, stalled };
}
