/**
 * English summaries of recurrence rules ("every 2 weeks on Monday and Wednesday").
 *
 * Written over our own parsed parts rather than rrule's toText, which says "every month on the last" for
 * BYMONTHDAY=-1, "Monday, Wednesday" without "and", "for 5 times", and ignores BYSETPOS
 * ("every month on weekdays" for the last weekday). No dependencies, so the console can bundle it.
 */
import { parseRuleParts } from './parse-rule-parts.js';
import type { RuleParts, Weekday, WeekdaySpec } from './rule-parts.js';

/** English names of the RRULE weekdays and of the months (January first); the console shares them. */
export const DAY_NAMES: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const UNITS = { YEARLY: 'year', MONTHLY: 'month', WEEKLY: 'week', DAILY: 'day', HOURLY: 'hour' } as const;

/** An English summary of an RRULE (and of counting from completion), or null when the rule is not valid. */
export function describeRecurrence(rule: string, from: 'due' | 'completion' = 'due'): string | null {
  const parsed = parseRuleParts(rule);
  if (!parsed.ok) return null;
  const text = describeRuleParts(parsed.parts);
  return from === 'completion' ? `${text}, counted from completion` : text;
}

/** An English summary of validated rule parts. */
export function describeRuleParts(parts: RuleParts): string {
  const unit = UNITS[parts.freq];
  const plainDays = parts.byDay.every((day) => day.n === undefined) && parts.bySetPos.length === 0;
  const text: string[] = [];
  if (
    plainDays &&
    parts.interval === 1 &&
    isWeekdays(parts.byDay) &&
    ['DAILY', 'WEEKLY'].includes(parts.freq)
  ) {
    text.push('every weekday');
  } else {
    text.push(parts.interval === 1 ? `every ${unit}` : `every ${parts.interval} ${unit}s`);
    if (parts.byDay.length > 0) text.push(`on ${describeDays(parts)}`);
  }
  const [onlyMonth, onlyDay] = [parts.byMonth, parts.byMonthDay].map((values) =>
    values.length === 1 ? values[0] : 0,
  );
  if (onlyMonth && onlyDay && onlyDay > 0) {
    text.push(`on ${MONTH_NAMES[onlyMonth - 1]} ${onlyDay}`); // "every year on February 29"
  } else {
    if (parts.byMonthDay.length > 0) text.push(`on the ${list(parts.byMonthDay.map(monthDay))}`);
    if (parts.byMonth.length > 0)
      text.push(`in ${list(parts.byMonth.map((month) => MONTH_NAMES[month - 1]!))}`);
  }
  if (parts.byYearDay.length > 0) text.push(`on ${list(parts.byYearDay.map(yearDay))} of the year`);
  if (parts.byWeekNo.length > 0) text.push(`in week ${list(parts.byWeekNo.map(String))}`);
  if (parts.bySetPos.length > 0 && parts.byDay.length === 0) {
    text.push(`(only the ${list(parts.bySetPos.map(position))} match)`);
  }
  const times = describeTimes(parts);
  if (times) text.push(times);
  const ending: string[] = [];
  if (parts.count !== undefined) ending.push(parts.count === 1 ? 'once' : `${parts.count} times`);
  if (parts.until) {
    const { year, month, day } = parts.until.wallClock;
    ending.push(`until ${day} ${MONTH_NAMES[month - 1]} ${year}`);
  }
  return [text.join(' '), ...ending].join(', ');
}

function isWeekdays(days: readonly WeekdaySpec[]): boolean {
  const set = new Set(days.map((day) => day.weekday));
  return set.size === 5 && !set.has('SA') && !set.has('SU');
}

function describeDays(parts: RuleParts): string {
  if (parts.bySetPos.length > 0) {
    // BYSETPOS picks among the matching days: "the last weekday", "the 1st Monday or Wednesday".
    const set = new Set(parts.byDay.map((day) => day.weekday));
    const pool = isWeekdays(parts.byDay)
      ? 'weekday'
      : set.size === 7
        ? 'day'
        : list(parts.byDay.map(weekdaySpec), 'or');
    return `the ${list(parts.bySetPos.map(position))} ${pool}`;
  }
  const numbered = parts.byDay.some((day) => day.n !== undefined);
  return `${numbered ? 'the ' : ''}${list(parts.byDay.map(weekdaySpec))}`;
}

function weekdaySpec(day: WeekdaySpec): string {
  return day.n === undefined ? DAY_NAMES[day.weekday] : `${position(day.n)} ${DAY_NAMES[day.weekday]}`;
}

/** 1 → "1st", -1 → "last", -2 → "2nd to last". */
function position(n: number): string {
  if (n === -1) return 'last';
  return n < 0 ? `${ordinal(-n)} to last` : ordinal(n);
}

function monthDay(n: number): string {
  return n < 0 ? `${position(n)} day` : ordinal(n);
}

function yearDay(n: number): string {
  return n < 0 ? `the ${position(n)} day` : `day ${n}`;
}

/** 1 → "1st", 12 → "12th", 23 → "23rd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function describeTimes(parts: RuleParts): string | null {
  const pad = (value: number) => String(value).padStart(2, '0');
  const { byHour, byMinute } = parts;
  if (byHour.length > 0 && byMinute.length > 0) {
    return `at ${list(byHour.flatMap((hour) => byMinute.map((minute) => `${pad(hour)}:${pad(minute)}`)))}`;
  }
  if (byHour.length > 0) return `at ${list(byHour.map(String))} o'clock`;
  if (byMinute.length > 0) return `at ${list(byMinute.map(String))} minutes past the hour`;
  return null;
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}
