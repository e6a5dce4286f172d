import { describe, expect, it } from 'vitest';
import type { ConsumerGroupLag, PartitionOffsets } from '../reconcile/topics.js';
import { type GroupWatch, judgeGroup } from './stall-judge.js';

const STALL = 180_000;
const T0 = 1_000_000;

const part = (committed: number, end: number, partition = 0, start = 0): PartitionOffsets => ({
  topic: 't.reminders',
  partition,
  committed,
  start,
  end,
});

const group = (partitions: PartitionOffsets[], state = 'Stable', members = 1): ConsumerGroupLag => ({
  groupId: 'ns.app.reminders',
  state,
  members,
  partitions,
});

/** Feeds samples `[at, sample]` in order and returns the judgement of the last. */
function judgeSeries(samples: [number, ConsumerGroupLag][], options?: { anyState?: boolean }) {
  let watch: GroupWatch | undefined;
  let last: ReturnType<typeof judgeGroup> | undefined;
  for (const [at, sample] of samples) {
    last = judgeGroup(watch, sample, at, STALL, options);
    watch = last.watch;
  }
  if (!last) throw new Error('no samples');
  return last;
}

describe('judgeGroup', () => {
  it('stalls a partition whose committed offset stays behind the end for exactly stallMs, not before', () => {
    const before = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL - 1, group([part(5, 12)])],
    ]);
    expect(before.stalled).toEqual([]);
    expect(before.lag).toBe(7);

    const at = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL - 1, group([part(5, 12)])],
      [T0 + STALL, group([part(5, 12)])],
    ]);
    expect(at.stalled).toEqual([
      { topic: 't.reminders', partition: 0, committed: 5, end: 12, lag: 7, since: T0 },
    ]);
  });

  it('never stalls a group whose committed offsets move, however long it stays behind', () => {
    const samples: [number, ConsumerGroupLag][] = Array.from({ length: 10 }, (_, i) => [
      T0 + i * (STALL / 2),
      group([part(100 + i, 200 + i * 2)]),
    ]);
    const last = judgeSeries(samples);
    expect(last.stalled).toEqual([]);
    // The clock restarts where the offset moved to.
    expect(last.watch.get('t.reminders/0')).toEqual({ committed: 109, since: T0 + 9 * (STALL / 2) });
  });

  it('never stalls a partition with nothing to consume', () => {
    const last = judgeSeries([
      [T0, group([part(10, 10)])],
      [T0 + 10 * STALL, group([part(10, 10)])],
    ]);
    expect(last).toMatchObject({ stalled: [], lag: 0 });
    expect(last.watch.size).toBe(0);
  });

  it('never stalls a group without members: the pods are down, not stuck', () => {
    for (const state of ['Empty', 'Dead', 'Stable']) {
      const last = judgeSeries([
        [T0, group([part(5, 10)], state, 0)],
        [T0 + 2 * STALL, group([part(5, 10)], state, 0)],
      ]);
      expect(last.stalled, state).toEqual([]);
      expect(last.lag, state).toBe(5);
    }
  });

  it('keeps counting through rebalances, but stalls a partition only while its group is Stable', () => {
    // dapr/components-contrib#4580: a member stuck in a delivery keeps its group rebalancing, over and over.
    const churning = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL / 2, group([part(5, 10)], 'PreparingRebalance', 2)],
      [T0 + STALL, group([part(5, 10)], 'CompletingRebalance', 2)],
    ]);
    expect(churning.stalled).toEqual([]);
    expect(churning.watch.get('t.reminders/0')).toEqual({ committed: 5, since: T0 });

    const settled = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL / 2, group([part(5, 10)], 'PreparingRebalance', 2)],
      [T0 + STALL, group([part(5, 10)], 'CompletingRebalance', 2)],
      [T0 + STALL + 1000, group([part(5, 10)], 'Stable', 2)],
    ]);
    expect(settled.stalled).toEqual([
      { topic: 't.reminders', partition: 0, committed: 5, end: 10, lag: 5, since: T0 },
    ]);

    // A rebalance after which the members consume is no stall: the moved offset starts the clock again.
    const consumed = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL / 2, group([part(5, 10)], 'PreparingRebalance', 2)],
      [T0 + STALL + 1000, group([part(8, 12)], 'Stable', 2)],
    ]);
    expect(consumed.stalled).toEqual([]);
    expect(consumed.watch.get('t.reminders/0')).toEqual({ committed: 8, since: T0 + STALL + 1000 });
  });

  it('starts over when the group loses its members (the pods went down), whatever it showed before', () => {
    const last = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL / 2, group([part(5, 10)], 'Empty', 0)],
      [T0 + STALL, group([part(5, 10)], 'Stable', 1)],
    ]);
    expect(last.stalled).toEqual([]);
    expect(last.watch.get('t.reminders/0')?.since).toBe(T0 + STALL);
  });

  it('with anyState, counts through rebalances and empty groups, and still starts over when the offset moves', () => {
    const churning: [string, number][] = [
      ['PreparingRebalance', 2],
      ['CompletingRebalance', 2],
      ['Empty', 0],
    ];
    // Samples half the stall time apart, the group in each state in turn, at the committed offsets given.
    const samples = (offsets: number[]): [number, ConsumerGroupLag][] =>
      offsets.map((committed, i) => {
        const [state, members] = churning[i % churning.length]!;
        return [T0 + i * (STALL / 2), group([part(committed, 10)], state, members)];
      });
    expect(judgeSeries(samples([5, 5, 5]), { anyState: true }).stalled).toEqual([
      { topic: 't.reminders', partition: 0, committed: 5, end: 10, lag: 5, since: T0 },
    ]);
    expect(judgeSeries(samples([5, 6, 7]), { anyState: true }).stalled).toEqual([]);
    // Without it, the same samples never stall.
    expect(judgeSeries(samples([5, 5, 5])).stalled).toEqual([]);
  });

  it('counts a partition with no committed offset (-1) from its start offset', () => {
    const nothingYet = judgeSeries([
      [T0, group([part(-1, 40, 0, 40)])],
      [T0 + STALL, group([part(-1, 40, 0, 40)])],
    ]);
    expect(nothingYet).toMatchObject({ stalled: [], lag: 0 });

    const stuck = judgeSeries([
      [T0, group([part(-1, 45, 0, 40)])],
      [T0 + STALL, group([part(-1, 45, 0, 40)])],
    ]);
    expect(stuck.stalled).toEqual([
      { topic: 't.reminders', partition: 0, committed: 40, end: 45, lag: 5, since: T0 },
    ]);
  });

  it('forgets a partition once its lag drains, and starts over if it falls behind again', () => {
    const last = judgeSeries([
      [T0, group([part(5, 10)])],
      [T0 + STALL - 1, group([part(10, 10)])],
      [T0 + STALL, group([part(10, 11)])],
      [T0 + 2 * STALL - 1, group([part(10, 11)])],
    ]);
    expect(last.stalled).toEqual([]);
    expect(last.watch.get('t.reminders/0')).toEqual({ committed: 10, since: T0 + STALL });
  });

  it('judges each partition on its own and adds up the lag', () => {
    const last = judgeSeries([
      [T0, group([part(5, 10, 0), part(7, 9, 1), part(3, 3, 2)])],
      [T0 + STALL, group([part(5, 10, 0), part(8, 9, 1), part(3, 3, 2)])],
    ]);
    expect(last.lag).toBe(6);
    expect(last.stalled.map((s) => s.partition)).toEqual([0]);
  });
});
