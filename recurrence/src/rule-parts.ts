/**
 * The RRULE parts we accept (RFC 5545 §3.3.10 without DTSTART, SECONDLY or MINUTELY) as plain data, and their
 * canonical text. No dependencies, so the console can build, validate and describe rules without rrule.
 */
import type { WallClock } from './time-zone.js';

export const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A BYDAY entry: a weekday, optionally the nth (negative: from the end) in the month or year. */
export interface WeekdaySpec {
  weekday: Weekday;
  n?: number;
}

/** UNTIL as written: a UTC instant (trailing Z) or a wall-clock time in the task's time zone. */
export interface UntilSpec {
  wallClock: WallClock;
  utc: boolean;
}

/** A validated rule; every list is empty when the rule part is absent. */
export interface RuleParts {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: UntilSpec;
  byMonth: number[];
  byWeekNo: number[];
  byYearDay: number[];
  byMonthDay: number[];
  byDay: WeekdaySpec[];
  byHour: number[];
  byMinute: number[];
  bySecond: number[];
  bySetPos: number[];
  wkst?: Weekday;
}

export type RulePartsResult = { ok: true; parts: RuleParts } | { ok: false; message: string };

/** Parts of a rule with only FREQ and INTERVAL=1, plus the given fields: where builders start. */
export function newRuleParts(freq: Frequency, fields: Partial<RuleParts> = {}): RuleParts {
  return {
    freq,
    interval: 1,
    byMonth: [],
    byWeekNo: [],
    byYearDay: [],
    byMonthDay: [],
    byDay: [],
    byHour: [],
    byMinute: [],
    bySecond: [],
    bySetPos: [],
    ...fields,
  };
}

export const MAX_RULE_LENGTH = 500;
export const MAX_COUNT = 1000;
export const MAX_INTERVAL = 1000;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The canonical RRULE text for validated parts (fixed part order, no "RRULE:" prefix). */
export function formatRuleParts(parts: RuleParts): string {
  const out = [`FREQ=${parts.freq}`];
  if (parts.interval !== 1) out.push(`INTERVAL=${parts.interval}`);
  if (parts.count !== undefined) out.push(`COUNT=${parts.count}`);
  if (parts.until !== undefined) {
    const { year, month, day, hour, minute, second } = parts.until.wallClock;
    const stamp = `${pad(year, 4)}${pad(month)}${pad(day)}T${pad(hour)}${pad(minute)}${pad(second)}`;
    out.push(`UNTIL=${stamp}${parts.until.utc ? 'Z' : ''}`);
  }
  const lists: [string, readonly (number | string)[]][] = [
    ['BYMONTH', parts.byMonth],
    ['BYWEEKNO', parts.byWeekNo],
    ['BYYEARDAY', parts.byYearDay],
    ['BYMONTHDAY', parts.byMonthDay],
    ['BYDAY', parts.byDay.map((day) => `${day.n ?? ''}${day.weekday}`)],
    ['BYHOUR', parts.byHour],
    ['BYMINUTE', parts.byMinute],
    ['BYSECOND', parts.bySecond],
    ['BYSETPOS', parts.bySetPos],
  ];
  for (const [name, values] of lists) if (values.length > 0) out.push(`${name}=${values.join(',')}`);
  if (parts.wkst !== undefined) out.push(`WKST=${parts.wkst}`);
  return out.join(';');
}
