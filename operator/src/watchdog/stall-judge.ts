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
 * fault); while it rebalances nobody consumes by design, and the clock starts again once it is Stable.
 */
export const hasActiveMembers = (group: Pick<ConsumerGroupLag, 'state' | 'members'>): boolean =>
  group.state === 'Stable' && group.members > 0;

/**
 * A partition is stalled when the group has active members, the partition has records after its committed offset
 * (nothing committed: its start), and that offset has not moved for `stallMs`, counted from the first sample of an
 * active group that showed it there with a lag. A moved offset or an empty lag starts over.
 *
 * `anyState` counts a group that keeps rebalancing, or has no members, as active: for a caller that knows the
 * members should be consuming (the end-to-end tests, once their fault is over), since a consumer stuck in a
 * delivery can keep its group from ever becoming Stable (dapr/components-contrib#4580).
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
  const active = anyState || hasActiveMembers(sample);
  let lag = 0;
  for (const p of sample.partitions) {
    const committed = p.committed < 0 ? p.start : p.committed;
    const behind = Math.max(0, p.end - committed);
    lag += behind;
    if (!active || behind === 0) continue;
    const key = `${p.topic}/${p.partition}`;
    const before = previous?.get(key);
    const since = before?.committed === committed ? before.since : now;
    watch.set(key, { committed, since });
    if (now - since >= stallMs)
      stalled.push({ topic: p.topic, partition: p.partition, committed, end: p.end, lag: behind, since });
  }
  return { watch, lag, stalled };
}
