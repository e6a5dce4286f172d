/**
 * What other workspaces' tests share from the recurrence core, imported as `@todo/recurrence/testing`: a series
 * walked as the API walks it, to compare with an independent engine.
 */
import { computeNextOccurrence } from '../next-occurrence.js';

export { drawRandomSeries, type RandomSeries } from './random-series.js';
export { type SeededRandom, seededRandom } from './seeded-random.js';

/** The task a series is walked from: its due date (UTC), zone, rule, and its place in the series. */
export interface SeriesTask {
  dueAt: string;
  timeZone: string;
  rule: string;
  /** The series anchor; absent for older tasks. */
  seriesStart?: string;
  /** 1-based; defaults to 1. */
  occurrenceIndex?: number;
}

/**
 * The due dates of `first` and of the successors the API creates as each is completed (recurrence from the due
 * date), in order: at most `limit` of them, fewer where the rule ends.
 */
export function dueDatesOfSeries(first: SeriesTask, limit = Number.POSITIVE_INFINITY): string[] {
  const dues = [first.dueAt];
  let task = { dueAt: first.dueAt, occurrenceIndex: first.occurrenceIndex ?? 1 };
  while (dues.length < limit) {
    const next = computeNextOccurrence({
      ...task,
      timeZone: first.timeZone,
      seriesStart: first.seriesStart,
      recurrence: { rule: first.rule, from: 'due' },
      completedAt: null,
    });
    if (!next) break;
    dues.push(next.dueAt);
    task = next;
  }
  return dues;
}
