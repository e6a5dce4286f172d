/** The strict RRULE grammar: text in, validated parts or a message a user understands out. */
import {
  FREQUENCIES,
  type Frequency,
  MAX_COUNT,
  MAX_INTERVAL,
  MAX_RULE_LENGTH,
  type RuleParts,
  type RulePartsResult,
  type UntilSpec,
  WEEKDAYS,
  type Weekday,
  type WeekdaySpec,
} from './rule-parts.js';
import type { WallClock } from './time-zone.js';

/** Raised inside the parser; turned into `{ ok: false }` at the boundary. */
class RuleError extends Error {}

const EXAMPLE = 'FREQ=WEEKLY;BYDAY=MO,WE';

/** Parses an RRULE value (with or without a leading "RRULE:") into validated parts. */
export function parseRuleParts(input: string): RulePartsResult {
  try {
    return { ok: true, parts: parse(input) };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, message: error.message };
    throw error;
  }
}

function parse(input: string): RuleParts {
  if (input.length > MAX_RULE_LENGTH) {
    throw new RuleError(`The recurrence rule is too long (at most ${MAX_RULE_LENGTH} characters).`);
  }
  if (/[\r\n]/.test(input))
    throw new RuleError(`The recurrence rule must be a single line, such as ${EXAMPLE}.`);
  if (/DTSTART/i.test(input)) {
    throw new RuleError("The recurrence rule must not contain DTSTART: the task's due date is the start.");
  }
  const body = input.trim().replace(/^RRULE:/i, '');
  const fields = new Map<string, string>();
  for (const segment of body.split(';')) {
    if (segment.trim() === '') continue;
    const match = /^\s*([A-Za-z]+)\s*=\s*([^=]*?)\s*$/.exec(segment);
    if (!match) throw new RuleError(`"${segment}" is not a NAME=VALUE pair; write rules like ${EXAMPLE}.`);
    const name = match[1]!.toUpperCase();
    if (!PART_NAMES.has(name)) throw new RuleError(`Unknown recurrence rule part "${name}".`);
    if (fields.has(name)) throw new RuleError(`${name} appears more than once.`);
    fields.set(name, match[2]!.toUpperCase());
  }
  if (fields.size === 0) throw new RuleError(`The recurrence rule is empty; write rules like ${EXAMPLE}.`);

  const freq = parseFreq(fields.get('FREQ'));
  const parts: RuleParts = {
    freq,
    interval: optionalInteger(fields, 'INTERVAL', 1, MAX_INTERVAL) ?? 1,
    count: optionalInteger(fields, 'COUNT', 1, MAX_COUNT),
    until: fields.has('UNTIL') ? parseUntil(fields.get('UNTIL')!) : undefined,
    byMonth: integerList(fields, 'BYMONTH', 1, 12, false),
    byWeekNo: integerList(fields, 'BYWEEKNO', 1, 53, true),
    byYearDay: integerList(fields, 'BYYEARDAY', 1, 366, true),
    byMonthDay: integerList(fields, 'BYMONTHDAY', 1, 31, true),
    byDay: fields.has('BYDAY') ? parseByDay(fields.get('BYDAY')!, freq) : [],
    byHour: integerList(fields, 'BYHOUR', 0, 23, false),
    byMinute: integerList(fields, 'BYMINUTE', 0, 59, false),
    bySecond: integerList(fields, 'BYSECOND', 0, 59, false),
    bySetPos: integerList(fields, 'BYSETPOS', 1, 366, true),
    wkst: fields.has('WKST') ? parseWeekday(fields.get('WKST')!, 'WKST') : undefined,
  };
  checkCombinations(parts);
  return parts;
}

const PART_NAMES = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYMONTH',
  'BYWEEKNO',
  'BYYEARDAY',
  'BYMONTHDAY',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
  'BYSETPOS',
  'WKST',
]);

function parseFreq(value: string | undefined): Frequency {
  if (value === undefined) throw new RuleError(`The recurrence rule needs FREQ, as in ${EXAMPLE}.`);
  if (value === 'SECONDLY' || value === 'MINUTELY') {
    throw new RuleError('Repeating more often than hourly is not supported (FREQ=SECONDLY or MINUTELY).');
  }
  if (!(FREQUENCIES as readonly string[]).includes(value)) {
    throw new RuleError(`FREQ must be one of ${FREQUENCIES.join(', ')}.`);
  }
  return value as Frequency;
}

function parseInteger(text: string, name: string, min: number, max: number, signed: boolean): number {
  const pattern = signed ? /^[+-]?\d{1,4}$/ : /^\+?\d{1,4}$/;
  const value = pattern.test(text) ? Number(text) : Number.NaN;
  const size = Math.abs(value);
  if (Number.isNaN(value) || size < min || size > max || (!signed && value < 0)) {
    const range = signed ? `${min} to ${max} or -${max} to -${min}` : `${min} to ${max}`;
    throw new RuleError(`${name} must be a whole number from ${range}, not "${text}".`);
  }
  return value;
}

function optionalInteger(fields: Map<string, string>, name: string, min: number, max: number) {
  const text = fields.get(name);
  return text === undefined ? undefined : parseInteger(text, name, min, max, false);
}

/**
 * A numeric BY… part: a set in RFC 5545, so ascending and each value once. The order matters to rrule, which
 * takes a day's times in the order BYHOUR, BYMINUTE and BYSECOND are written: with BYHOUR=18,3 its `after`
 * went from one day's 18:00 to the next period's 18:00, past that day's 03:00.
 */
function integerList(fields: Map<string, string>, name: string, min: number, max: number, signed: boolean) {
  const text = fields.get(name);
  if (text === undefined) return [];
  const values = text.split(',').map((item) => parseInteger(item.trim(), name, min, max, signed));
  return [...new Set(values)].sort((a, b) => a - b);
}

function parseWeekday(text: string, name: string): Weekday {
  if (!(WEEKDAYS as readonly string[]).includes(text)) {
    throw new RuleError(`${name} days are written MO, TU, WE, TH, FR, SA or SU, not "${text}".`);
  }
  return text as Weekday;
}

function parseByDay(text: string, freq: Frequency): WeekdaySpec[] {
  return text.split(',').map((item) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item.trim());
    if (!match) throw new RuleError(`BYDAY entries look like MO or 2TU or -1FR, not "${item}".`);
    const weekday = parseWeekday(match[2]!, 'BYDAY');
    if (match[1] === undefined) return { weekday };
    if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
      throw new RuleError(`A numbered weekday such as "${item}" needs FREQ=MONTHLY or FREQ=YEARLY.`);
    }
    return {
      weekday,
      n: parseInteger(match[1], 'The number in BYDAY', 1, freq === 'MONTHLY' ? 5 : 53, true),
    };
  });
}

function parseUntil(text: string): UntilSpec {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(text);
  const [year, month, day, hour, minute, second] = (match?.slice(1, 7) ?? []).map(Number);
  const wallClock: WallClock = {
    year: year ?? 0,
    month: month ?? 0,
    day: day ?? 0,
    // A date-only UNTIL includes that whole local day.
    hour: match?.[4] === undefined ? 23 : (hour ?? 0),
    minute: match?.[4] === undefined ? 59 : (minute ?? 0),
    second: match?.[4] === undefined ? 59 : (second ?? 0),
  };
  const check = new Date(Date.UTC(wallClock.year, wallClock.month - 1, wallClock.day));
  const valid =
    match !== null &&
    check.getUTCMonth() === wallClock.month - 1 &&
    check.getUTCDate() === wallClock.day &&
    wallClock.hour < 24 &&
    wallClock.minute < 60 &&
    wallClock.second < 60;
  if (!valid) throw new RuleError(`UNTIL must be a date like 20261231 or 20261231T235959Z, not "${text}".`);
  return { wallClock, utc: match[7] === 'Z' };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Rejects combinations RFC 5545 forbids or that can never produce a date. */
function checkCombinations(parts: RuleParts): void {
  const { freq } = parts;
  if (parts.count !== undefined && parts.until !== undefined) {
    throw new RuleError('COUNT and UNTIL cannot be used together; choose one way to end the series.');
  }
  if (parts.byWeekNo.length > 0 && freq !== 'YEARLY') throw new RuleError('BYWEEKNO needs FREQ=YEARLY.');
  if (parts.byYearDay.length > 0 && (freq === 'MONTHLY' || freq === 'WEEKLY' || freq === 'DAILY')) {
    throw new RuleError('BYYEARDAY cannot be used with FREQ=MONTHLY, WEEKLY or DAILY.');
  }
  if (parts.byMonthDay.length > 0 && freq === 'WEEKLY') {
    throw new RuleError('BYMONTHDAY cannot be used with FREQ=WEEKLY.');
  }
  if (parts.byWeekNo.length > 0 && parts.byDay.some((day) => day.n !== undefined)) {
    throw new RuleError('A numbered weekday cannot be combined with BYWEEKNO.');
  }
  const otherByParts = [parts.byMonth, parts.byWeekNo, parts.byYearDay, parts.byMonthDay, parts.byDay];
  const hasTimeParts = parts.byHour.length + parts.byMinute.length + parts.bySecond.length > 0;
  // Checked per day or hour, a BYSETPOS that never matches makes rrule scan for centuries.
  if (parts.bySetPos.length > 0 && (freq === 'DAILY' || freq === 'HOURLY')) {
    throw new RuleError('BYSETPOS works with FREQ=WEEKLY, MONTHLY or YEARLY.');
  }
  if (parts.bySetPos.length > 0 && !hasTimeParts && otherByParts.every((list) => list.length === 0)) {
    throw new RuleError(
      'BYSETPOS needs another BY… part to choose from, e.g. BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1.',
    );
  }
  if (parts.byMonth.length > 0 && parts.byMonthDay.length > 0) {
    const possible = parts.byMonth.some((month) =>
      parts.byMonthDay.some((day) => Math.abs(day) <= DAYS_IN_MONTH[month - 1]!),
    );
    if (!possible)
      throw new RuleError('This rule never produces a date: no chosen month has the chosen day.');
  }
}
