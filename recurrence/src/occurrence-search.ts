/**
 * Walking a rule's occurrences with rrule in floating time (wall clocks in UTC fields), shared by the first
 * and the next occurrence of a series.
 */
import { RRule, type RRuleOptions } from './rrule-module.js';
import type { RuleParts } from './rule-parts.js';
import { floatingToWallClock, type WallClock, wallClockToFloating } from './time-zone.js';

/** How far ahead the search looks at least; see `shiftYearsFor`. */
const MIN_SEARCH_YEARS = 50;
/** rrule stops iterating after this year (its MAXYEAR). */
const RRULE_MAX_YEAR = 9999;
/** The Gregorian calendar repeats exactly (weekdays and leap years) every 400 years. */
const CALENDAR_CYCLE_YEARS = 400;

/**
 * rrule loops forever when an HOURLY rule's BYHOUR can never be reached from DTSTART's hour in steps of
 * INTERVAL; reachable hours are those congruent to the start modulo gcd(INTERVAL, 24).
 */
export function hourCanRecur(parts: RuleParts, startHour: number): boolean {
  if (parts.freq !== 'HOURLY' || parts.byHour.length === 0) return true;
  const step = gcd(parts.interval, 24);
  return parts.byHour.some((hour) => (hour - startHour) % step === 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** UNTIL is inclusive: a UTC one bounds the instant, a local one the wall-clock time of the occurrence. */
export function pastUntil(parts: RuleParts, wallClock: WallClock, instant: Date): boolean {
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

/**
 * Up to `limit` wall-clock occurrences after DTSTART = `start` (or from it, when `inclusive`), in order,
 * with COUNT and UNTIL left to the caller.
 */
export function* occurrencesAfter(
  options: Partial<RRuleOptions>,
  start: WallClock,
  { inclusive = false, limit = 4 } = {},
): Generator<WallClock> {
  const shift = shiftYearsFor(start.year);
  const dtstart = shiftYears(wallClockToFloating(start), shift);
  const rule = new RRule({ ...options, count: null, until: null, tzid: null, dtstart });
  let previous = dtstart;
  let include = inclusive;
  for (let attempt = 0; attempt < limit; attempt++) {
    const next = rule.after(previous, include);
    include = false;
    if (!next) return;
    yield floatingToWallClock(shiftYears(next, -shift));
    previous = next;
  }
}
