/** Wall-clock ↔ instant conversion in an IANA time zone, with Intl only (no tz database shipped). */
import { instantToZonedWallClock, isValidTimeZone, zoneOffsetAt } from '@todo/recurrence';

export interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** The wall clock shown in `timeZone` at `instant` (the API's own conversion, shared with the console). */
export function wallTimeAt(instant: Date, timeZone: string): WallTime & { second: number } {
  return instantToZonedWallClock(instant, timeZone);
}

/** The instant when clocks in `timeZone` show `wall`; in a DST gap the later offset applies. */
export function instantOf(wall: WallTime, timeZone: string): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  let guess = naive - zoneOffsetAt(new Date(naive), timeZone);
  // A second pass settles guesses that straddle a DST change.
  guess = naive - zoneOffsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** Whether `timeZone` is an IANA name this runtime knows. */
export { isValidTimeZone };

/** The browser's own zone: what "the user's zone" means in the console. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `YYYY-MM-DD` of a wall time. */
export function isoDate(w: Pick<WallTime, 'year' | 'month' | 'day'>): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `HH:mm` of a wall time. */
export function isoTime(w: Pick<WallTime, 'hour' | 'minute'>): string {
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Parses `YYYY-MM-DD` (and an optional `HH:mm` or `HH:mm:ss`) into a wall time, or null when malformed. */
export function parseWallTime(date: string, time = '00:00'): WallTime | null {
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
export function addDays(w: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday, the RFC 5545 week order. */
export function weekdayIndex(w: Pick<WallTime, 'year' | 'month' | 'day'>): number {
  return (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
}

/** 28–31; `month` is 1–12. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
