import { instantToZonedWallClock, zonedWallClockToInstant } from '@todo/recurrence';

export type TaskView = 'today' | 'upcoming';

/** Upcoming covers today and the 13 days after it. */
export const UPCOMING_DAYS = 14;

/** The instant `timeZone`'s calendar day of `now`, moved by `days`, begins at (local midnight). */
export function dayStart(now: Date, timeZone: string, days: number): Date {
  const today = instantToZonedWallClock(now, timeZone);
  // Date.UTC carries a day past the month's end into the next month.
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return zonedWallClockToInstant(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    timeZone,
  );
}

/**
 * The due-date window of a view, in `timeZone`'s days: `today` is everything due before tomorrow begins
 * (overdue open tasks included; `from` bounds only completed ones), `upcoming` is due from today's start
 * until 14 days later.
 */
export function viewWindow(view: TaskView, timeZone: string, now: Date): { from: Date; until: Date } {
  const from = dayStart(now, timeZone, 0);
  return { from, until: dayStart(now, timeZone, view === 'today' ? 1 : UPCOMING_DAYS) };
}
