/**
 * The console's wall-clock helpers around the recurrence core's zone conversions (Intl only, no tz database
 * shipped): wall clock ↔ instant is the core's `instantToZonedWallClock` / `zonedWallClockToInstant`, with
 * the API's one DST rule.
 */
import { instantToZonedWallClock, isValidTimeZone, type WallClock } from '@todo/recurrence';

/** The wall clock shown in `timeZone` at `instant`. */
export function wallTimeAt(instant: Date, timeZone: string): WallClock {
  return instantToZonedWallClock(instant, timeZone);
}

/** Whether `timeZone` is an IANA name this runtime knows. */
export { isValidTimeZone };

/** The browser's own zone: what "the user's zone" means in the console. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

type CalendarDate = Pick<WallClock, 'year' | 'month' | 'day'>;

/** `YYYY-MM-DD` of a wall time. */
export function isoDate(w: CalendarDate): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `HH:mm` of a wall time. */
export function isoTime(w: Pick<WallClock, 'hour' | 'minute'>): string {
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Parses `YYYY-MM-DD` (and an optional `HH:mm` or `HH:mm:ss`) into a wall time, or null when malformed. */
export function parseWallTime(date: string, time = '00:00'): WallClock | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const wall = {
    year: +d[1]!,
    month: +d[2]!,
    day: +d[3]!,
    hour: +t[1]!,
    minute: +t[2]!,
    second: +(t[3] ?? 0),
  };
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day) return null;
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  return wall;
}

/** Calendar arithmetic on dates, free of any zone. */
export function addDays<T extends CalendarDate>(w: T, days: number): T {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
