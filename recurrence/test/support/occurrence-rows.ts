/** Table rows for computeNextOccurrence: a task as a row, and the successor's due date it gets. */
import { computeNextOccurrence, type RecurringTask } from '../../src/next-occurrence.js';

/** Normalises an RFC 3339 time with any offset to the ISO instant the function returns. */
export const instant = (text: string) => new Date(text).toISOString();

export interface Row {
  rule: string;
  due: string | null;
  zone?: string;
  from?: 'due' | 'completion';
  completed?: string;
  index?: number;
  /** The series anchor (its first occurrence's local time). */
  start?: string;
  next: string | null;
}

export function nextDue(row: Row): string | null {
  const task: RecurringTask = {
    dueAt: row.due === null ? null : instant(row.due),
    timeZone: row.zone ?? 'UTC',
    recurrence: { rule: row.rule, from: row.from ?? 'due' },
    completedAt: row.completed === undefined ? null : instant(row.completed),
    occurrenceIndex: row.index,
    seriesStart: row.start,
  };
  return computeNextOccurrence(task)?.dueAt ?? null;
}
