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

import { RRule, type RRuleOptions } from './rrule-module.js';
import { parseRecurrenceRule } from './rrule-validation.js';
import type { RuleParts } from './rule-parts.js';
import { formatSeriesAnchor, nominalWallClock, parseSeriesAnchor } from './series-anchor.js';
import {
  canonicalTimeZone,
  floatingToWallClock,
  instantToZonedWallClock,
  type WallClock,
  wallClockToFloating,
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

/** How far ahead the search looks at least; see `shiftYearsFor`. */
const MIN_SEARCH_YEARS = 50;
/** rrule stops iterating after this year (its MAXYEAR). */
const RRULE_MAX_YEAR = 9999;
/** The Gregorian calendar repeats exactly (weekdays and leap years) every 400 years. */
const CALENDAR_CYCLE_YEARS = 400;

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
  const seriesStart = task.seriesStart ? parseSeriesAnchor(task.seriesStart) : null;
  if (task.dueAt && task.recurrence?.from === 'due') {
    const after = new Date(task.dueAt);
    // The task's own occurrence of the series restarts it: the rule continues exactly as from DTSTART.
    return { wallClock: nominalWallClock(after, zone, parts, seriesStart), after };
  }
  if (!task.completedAt || Number.isNaN(Date.parse(task.completedAt))) return null;
  const completion = instantToZonedWallClock(new Date(task.completedAt), zone);
  const due = task.dueAt ? nominalWallClock(new Date(task.dueAt), zone, parts, seriesStart) : null;
  const timeSource = due && parts.freq !== 'HOURLY' ? due : completion;
  const wallClock: WallClock = {
    ...completion,
    hour: timeSource.hour,
    minute: timeSource.minute,
    second: timeSource === completion ? 0 : timeSource.second,
  };
  return { wallClock, after: zonedWallClockToInstant(wallClock, zone) };
}

/**
 * rrule loops forever when an HOURLY rule's BYHOUR can never be reached from DTSTART's hour in steps of
 * INTERVAL; reachable hours are those congruent to the start modulo gcd(INTERVAL, 24).
 */
function hourCanRecur(parts: RuleParts, startHour: number): boolean {
  if (parts.freq !== 'HOURLY' || parts.byHour.length === 0) return true;
  const step = gcd(parts.interval, 24);
  return parts.byHour.some((hour) => (hour - startHour) % step === 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** UNTIL is inclusive: a UTC one bounds the instant, a local one the wall-clock time of the occurrence. */
function pastUntil(parts: RuleParts, wallClock: WallClock, instant: Date): boolean {
  const until = parts.until;
  if (!until) return false;
  const limit = wallClockToFloating(until.wallClock).getTime();
  return until.utc ? instant.getTime() > limit : wallClockToFloating(wallClock).getTime() > limit;
}

/**
 * rrule only stops scanning a rule that never matches at its MAXYEAR, which takes seconds from today.
 * Moving the whole computation forward by whole 400-year cycles keeps every weekday and leap day in place
 * while leaving only MIN_SEARCH_YEARS to MIN_SEARCH_YEARS + 400 years to scan.
 */
function shiftYearsFor(year: number): number {
  const room = RRULE_MAX_YEAR - MIN_SEARCH_YEARS - year;
  return Math.floor(room / CALENDAR_CYCLE_YEARS) * CALENDAR_CYCLE_YEARS;
}

function shiftYears(floating: Date, years: number): Date {
  const shifted = new Date(floating.getTime());
  shifted.setUTCFullYear(shifted.getUTCFullYear() + years);
  return shifted;
}

/** Wall-clock occurrences after DTSTART = `start`, in order, with COUNT and UNTIL left to the caller. */
function* occurrencesAfter(options: Partial<RRuleOptions>, start: WallClock): Generator<WallClock> {
  const shift = shiftYearsFor(start.year);
  const dtstart = shiftYears(wallClockToFloating(start), shift);
  const rule = new RRule({ ...options, count: null, until: null, tzid: null, dtstart });
  let previous = dtstart;
  // A handful suffices: only a DST overlap can make an occurrence resolve to an instant before the anchor.
  for (let attempt = 0; attempt < 4; attempt++) {
    const next = rule.after(previous, false);
    if (!next) return;
    yield floatingToWallClock(shiftYears(next, -shift));
    previous = next;
  }
}
