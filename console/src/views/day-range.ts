import { zonedWallClockToInstant } from '@todo/recurrence';
import { addDays, isoDate, wallTimeAt } from '../time/zoned.js';

/** Calendar arithmetic for the dated views: which instants bound which days in the user's zone. */

/** A calendar day in a zone: its `YYYY-MM-DD` and the instants where it starts and ends. */
export interface ZonedDay {
  date: string;
  start: Date;
  end: Date;
}

/** The calendar date of `instant` in `timeZone`, as `YYYY-MM-DD`. */
export function dateIn(instant: Date, timeZone: string): string {
  return isoDate(wallTimeAt(instant, timeZone));
}

/** The day `offset` days after the one `now` falls on in `timeZone` (DST days are 23 or 25 hours long). */
export function zonedDay(now: Date, timeZone: string, offset = 0): ZonedDay {
  const today = wallTimeAt(now, timeZone);
  const day = addDays({ ...today, hour: 0, minute: 0, second: 0 }, offset);
  return {
    date: isoDate(day),
    start: zonedWallClockToInstant(day, timeZone),
    end: zonedWallClockToInstant(addDays(day, 1), timeZone),
  };
}

/** `count` consecutive days starting with the one `now` falls on. */
export function nextDays(now: Date, timeZone: string, count: number): ZonedDay[] {
  return Array.from({ length: count }, (_, i) => zonedDay(now, timeZone, i));
}

/** The `YYYY-MM` of the month `now` falls in. */
export function monthOf(now: Date, timeZone: string): string {
  return dateIn(now, timeZone).slice(0, 7);
}

/** The month `delta` months from `month` (`YYYY-MM`). */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The weeks of a month grid, Monday first: whole weeks from the Monday on or before the 1st to the Sunday
 * on or after the last day, as `YYYY-MM-DD` dates.
 */
export function monthGrid(month: string): string[][] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const last = new Date(Date.UTC(y, m, 0));
  const start = new Date(first);
  start.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const weeks: string[][] = [];
  for (const d = start; d <= last || weeks.at(-1)?.length !== 7; d.setUTCDate(d.getUTCDate() + 1)) {
    if (!weeks.length || weeks.at(-1)!.length === 7) weeks.push([]);
    weeks.at(-1)!.push(d.toISOString().slice(0, 10));
  }
  return weeks;
}

/** The instants bounding whole days `from`..`to` (inclusive `YYYY-MM-DD`) in `timeZone`. */
export function dayBounds(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  const wall = (date: string) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return { year, month, day, hour: 0, minute: 0, second: 0 };
  };
  return {
    start: zonedWallClockToInstant(wall(from), timeZone),
    end: zonedWallClockToInstant(addDays(wall(to), 1), timeZone),
  };
}

/** A date with `days` added, both `YYYY-MM-DD`. */
export function addToDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The due instant after moving a task to `date`: the same wall-clock time on the new day, so "9:00 Tuesday"
 * dragged to Thursday is "9:00 Thursday" in the user's zone.
 */
export function moveToDay(dueAt: string, date: string, timeZone: string): string {
  const time = wallTimeAt(new Date(dueAt), timeZone);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return zonedWallClockToInstant({ ...time, year, month, day }, timeZone).toISOString();
}
