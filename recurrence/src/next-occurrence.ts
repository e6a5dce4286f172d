/**
 * The due date of a recurring task's next occurrence.
 *
 * Semantics (the task stores instants; the series lives in the task's wall-clock time):
 * - `from: "due"`: the first occurrence strictly after the current dueAt, with the current dueAt as DTSTART.
 *   It may already be in the past when a task is completed late; skipping ahead is the caller's choice.
 * - `from: "completion"`: the rule restarts on the local day of completion at dueAt's local time of day
 *   (FREQ=DAILY;INTERVAL=3 completed on Wednesday → Saturday at the usual time), and the next occurrence is
 *   the first one strictly after that restart point, so a task never comes back on the day it was done.
 *   HOURLY rules restart at the completion minute itself ("4 hours after I did it").
 * - No dueAt: the completion time is the anchor (for both `from` values) and its time of day is kept.
 * - COUNT counts tasks of the series: `occurrenceIndex` is the 1-based position of the task being completed
 *   (1 for the first task); a successor exists only while occurrenceIndex < COUNT.
 * - UNTIL is inclusive; a UTC UNTIL is an instant, a local UNTIL is read in the task's time zone.
 * - A wall-clock time skipped by a DST gap moves forward by the gap; repeated times take the earlier instant.
 *   The series runs at its anchor's wall-clock time (`seriesStart`, DTSTART), never at a moved one: a task
 *   due at 03:30 because 02:30 did not exist is followed by 02:30 the next day. Without an anchor the
 *   task's own local time is the series' time.
 * - A local UNTIL is compared with the occurrence's wall-clock time, as RFC 5545 engines do; a UTC one with
 *   its instant.
 * - null when the series has ended, the rule cannot match again within the search bound, or there is no
 *   anchor (no dueAt and no completedAt).
 */

import { hourCanRecur, occurrencesAfter, pastUntil } from './occurrence-search.js';
import { parseRecurrenceRule } from './rrule-validation.js';
import type { RuleParts } from './rule-parts.js';
import { formatSeriesAnchor, seriesWallClock } from './series-anchor.js';
import {
  canonicalTimeZone,
  instantToZonedWallClock,
  type WallClock,
  zonedWallClockToInstant,
} from './time-zone.js';

/** The recurrence-relevant fields of a task. */
export interface RecurringTask {
  dueAt: string | null;
  timeZone: string;
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  completedAt: string | null;
  /** 1-based position of this task in its series; defaults to 1. */
  occurrenceIndex?: number;
  /** The series anchor (see series-anchor.ts), e.g. "2027-03-12T02:30:00"; absent for older tasks. */
  seriesStart?: string | null;
}

/** The successor's due date, its position in the series and the series anchor it carries on. */
export interface NextOccurrence {
  dueAt: string;
  occurrenceIndex: number;
  /** The task's anchor, or for a task without one (written before anchors) its own series time. */
  seriesStart: string;
}

/** Computes the due date of the task that follows `task` in its series, or null when the series ends. */
export function computeNextOccurrence(task: RecurringTask): NextOccurrence | null {
  if (!task.recurrence) return null;
  const parsed = parseRecurrenceRule(task.recurrence.rule);
  if (!parsed.ok) return null;
  const index = task.occurrenceIndex ?? 1;
  if (parsed.parts.count !== undefined && index >= parsed.parts.count) return null;

  // Stored values are validated on write; should one still be unusable, fall back rather than throw.
  const timeZone = canonicalTimeZone(task.timeZone) ?? 'UTC';
  const dueAt = task.dueAt !== null && Number.isNaN(Date.parse(task.dueAt)) ? null : task.dueAt;
  const anchor = anchorFor({ ...task, timeZone, dueAt }, parsed.parts);
  if (!anchor) return null;
  if (!hourCanRecur(parsed.parts, anchor.wallClock.hour)) return null;

  for (const wallClock of occurrencesAfter(parsed.options, anchor.wallClock)) {
    const instant = zonedWallClockToInstant(wallClock, timeZone);
    // Near a DST overlap an occurrence can resolve to an instant before the anchor; look at the next one.
    if (instant.getTime() <= anchor.after.getTime()) continue;
    if (pastUntil(parsed.parts, wallClock, instant)) return null;
    const seriesStart = task.seriesStart ?? formatSeriesAnchor(anchor.wallClock);
    return { dueAt: instant.toISOString(), occurrenceIndex: index + 1, seriesStart };
  }
  return null;
}

interface Anchor {
  /** DTSTART of the series, as a wall clock in the task's zone. */
  wallClock: WallClock;
  /** The successor must be strictly after this instant. */
  after: Date;
}

function anchorFor(task: RecurringTask, parts: RuleParts): Anchor | null {
  const zone = task.timeZone;
  if (task.dueAt && task.recurrence?.from === 'due') {
    const after = new Date(task.dueAt);
    // The task's own occurrence of the series restarts it: the rule continues exactly as from DTSTART.
    return { wallClock: seriesWallClock(after, zone, parts, task.seriesStart), after };
  }
  if (!task.completedAt || Number.isNaN(Date.parse(task.completedAt))) return null;
  const completion = instantToZonedWallClock(new Date(task.completedAt), zone);
  const due = task.dueAt ? seriesWallClock(new Date(task.dueAt), zone, parts, task.seriesStart) : null;
  const timeSource = due && parts.freq !== 'HOURLY' ? due : completion;
  const wallClock: WallClock = {
    ...completion,
    hour: timeSource.hour,
    minute: timeSource.minute,
    second: timeSource === completion ? 0 : timeSource.second,
  };
  return { wallClock, after: zonedWallClockToInstant(wallClock, zone) };
}
