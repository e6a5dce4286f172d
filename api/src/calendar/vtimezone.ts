/**
 * VTIMEZONE components computed from the platform's time zone data (Intl), because RFC 5545 requires one
 * for every TZID used and not every client knows IANA names.
 *
 * The zone's offset changes are sampled over a range of years. When each kind of change (to summer time,
 * to standard time) falls on the same nth weekday of the same month at the same local time every year, the
 * observance is one yearly RRULE and stays right for any date; otherwise every change in the range is
 * listed, which is right within the range.
 */
import {
  floatingToWallClock,
  type WallClock,
  WEEKDAYS,
  type Weekday,
  type ZoneTransition,
  zoneOffsetAt,
  zoneTransitions,
} from '@todo/recurrence';
import { formatLocalDateTime, formatUtcOffset } from './ics-lines.js';

interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** Local onset, in the offset in force before the change. */
  start: WallClock;
  offsetFrom: number;
  offsetTo: number;
  rrule?: string;
}

const cache = new Map<string, string[]>();
const CACHE_LIMIT = 500;

/** Sampling is linear in the years covered; older dates fall before the first observance. */
const MAX_YEARS = 60;

/** The lines of a VTIMEZONE for `timeZone`, valid for the years fromYear..toYear (at most the last 60). */
export function vtimezoneLines(timeZone: string, requestedFromYear: number, toYear: number): string[] {
  const fromYear = Math.max(requestedFromYear, toYear - MAX_YEARS + 1);
  // Sampling a zone takes milliseconds per year, and every feed request of a user asks the same question.
  const key = `${timeZone} ${fromYear} ${toYear}`;
  let lines = cache.get(key);
  if (!lines) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    lines = computeVtimezone(timeZone, fromYear, toYear);
    cache.set(key, lines);
  }
  return lines;
}

/** Rules like Chile's "first Sunday on or after the 2nd" only show their shape over many years. */
const MIN_SAMPLE_YEARS = 15;

function computeVtimezone(timeZone: string, fromYear: number, toYear: number): string[] {
  const from = new Date(Date.UTC(fromYear, 0, 1));
  const years = Math.max(toYear - fromYear + 1, MIN_SAMPLE_YEARS);
  const transitions = zoneTransitions(timeZone, from, new Date(Date.UTC(fromYear + years, 0, 1)));
  const observances = yearlyObservances(transitions, years) ?? transitions.map(observanceFor);
  if (transitions.length === 0 || !observances[0]?.rrule) {
    // Before the first listed change (or forever, without DST) the zone keeps its starting offset.
    const offset = transitions[0]?.offsetFrom ?? zoneOffsetAt(from, timeZone);
    const start = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    observances.unshift({ kind: 'STANDARD', start, offsetFrom: offset, offsetTo: offset });
  }
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...observances.flatMap((observance) => [
      `BEGIN:${observance.kind}`,
      `DTSTART:${formatLocalDateTime(observance.start)}`,
      ...(observance.rrule ? [`RRULE:${observance.rrule}`] : []),
      `TZOFFSETFROM:${formatUtcOffset(observance.offsetFrom)}`,
      `TZOFFSETTO:${formatUtcOffset(observance.offsetTo)}`,
      `END:${observance.kind}`,
    ]),
    'END:VTIMEZONE',
  ];
}

function observanceFor(transition: ZoneTransition): Observance {
  return {
    kind: transition.offsetTo > transition.offsetFrom ? 'DAYLIGHT' : 'STANDARD',
    start: floatingToWallClock(new Date(transition.at.getTime() + transition.offsetFrom)),
    offsetFrom: transition.offsetFrom,
    offsetTo: transition.offsetTo,
  };
}

/**
 * One RRULE observance per kind of change when, in every sampled year, it happens once on the same weekday
 * of the same month, at the same local time, within one 7-day window ("2nd Sunday", "last Sunday",
 * "Sunday on or after the 2nd"); null otherwise.
 */
function yearlyObservances(transitions: readonly ZoneTransition[], years: number): Observance[] | null {
  if (transitions.length === 0) return null;
  const groups = new Map<string, Observance[]>();
  for (const observance of transitions.map(observanceFor)) {
    const { start, kind, offsetFrom, offsetTo } = observance;
    const key = `${kind} ${start.month} ${weekdayOf(start)} ${start.hour}:${start.minute} ${offsetFrom} ${offsetTo}`;
    groups.set(key, [...(groups.get(key) ?? []), observance]);
  }
  const result: Observance[] = [];
  for (const group of groups.values()) {
    const rule = group.length === years ? yearlyRule(group) : null;
    if (!rule) return null;
    result.push({ ...group[0]!, rrule: rule });
  }
  return result.sort((a, b) => formatLocalDateTime(a.start).localeCompare(formatLocalDateTime(b.start)));
}

/** The RRULE naming the 7-day window of the month that holds every sampled onset, if there is one. */
function yearlyRule(group: readonly Observance[]): string | null {
  const { month } = group[0]!.start;
  const weekday = weekdayOf(group[0]!.start);
  const days = group.map((observance) => observance.start.day);
  const [first, last] = [Math.min(...days), Math.max(...days)];
  if (last - first > 6) return null;
  const base = `FREQ=YEARLY;BYMONTH=${month};BYDAY=`;
  const nth = Math.ceil(first / 7);
  if (last <= nth * 7 && nth <= 4) return `${base}${nth}${weekday}`;
  if (group.every(({ start }) => start.day > daysInMonth(start) - 7)) return `${base}-1${weekday}`;
  const window = Array.from({ length: 7 }, (_, i) => first + i).filter((day) => day <= 31);
  return `${base}${weekday};BYMONTHDAY=${window.join(',')}`;
}

function weekdayOf(wall: WallClock): Weekday {
  // getUTCDay counts from Sunday; RFC 5545's weekdays (the core's WEEKDAYS) from Monday.
  return WEEKDAYS[(new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7]!;
}

function daysInMonth(wall: WallClock): number {
  return new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
}
