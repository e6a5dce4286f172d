/**
 * What the recurrence builder edits: the core's RRULE parts and where the next one counts from. The builder
 * shows the common shapes only; any other rule the API accepts is kept as it is and described in words.
 */
import type { Recurrence } from '@todo/contract';
import {
  type Frequency,
  formatRuleParts,
  newRuleParts,
  parseRuleParts,
  type RuleParts,
} from '@todo/recurrence';

export interface BuilderValue {
  parts: RuleParts;
  from: Recurrence['from'];
}

/** The frequencies the builder offers. */
export const BUILDER_FREQUENCIES = [
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'YEARLY',
] as const satisfies readonly Frequency[];
export type BuilderFrequency = (typeof BUILDER_FREQUENCIES)[number];

/** Which day of the month a monthly rule picks, as the builder's radio buttons show it. */
export type MonthlyChoice = 'due-day' | 'day' | 'last-day' | 'weekday';

/** The value behind a blank builder: every week, never ending. */
export function defaultBuilderValue(): BuilderValue {
  return { parts: newRuleParts('WEEKLY'), from: 'due' };
}

/** The builder's value for a stored recurrence, or null when its rule has parts the builder cannot show. */
export function toBuilderValue(recurrence: Recurrence): BuilderValue | null {
  const parsed = parseRuleParts(recurrence.rule);
  return parsed.ok && builderCanShow(parsed.parts) ? { parts: parsed.parts, from: recurrence.from } : null;
}

/** The recurrence the API stores: the canonical RRULE text. */
export function toRecurrence(value: BuilderValue): Recurrence {
  return { rule: formatRuleParts(value.parts), from: value.from };
}

export function monthlyChoice(parts: RuleParts): MonthlyChoice {
  if (parts.byDay.length > 0) return 'weekday';
  if (parts.byMonthDay[0] === -1) return 'last-day';
  return parts.byMonthDay.length > 0 ? 'day' : 'due-day';
}

function builderCanShow(parts: RuleParts): boolean {
  const timeParts = [
    parts.byHour,
    parts.byMinute,
    parts.bySecond,
    parts.bySetPos,
    parts.byWeekNo,
    parts.byYearDay,
  ];
  if (timeParts.some((list) => list.length > 0)) return false;
  const { byDay, byMonth, byMonthDay } = parts;
  switch (parts.freq) {
    case 'DAILY':
      return byDay.length + byMonth.length + byMonthDay.length === 0;
    case 'WEEKLY':
      return byMonth.length + byMonthDay.length === 0 && byDay.every((day) => day.n === undefined);
    case 'MONTHLY': {
      if (byMonth.length > 0 || byDay.length + byMonthDay.length > 1) return false;
      const n = byDay[0]?.n ?? byMonthDay[0];
      return n === undefined || n === -1 || (n >= 1 && (byDay.length === 0 || n <= 4));
    }
    case 'YEARLY':
      return (
        byDay.length === 0 &&
        byMonth.length === byMonthDay.length &&
        byMonth.length <= 1 &&
        (byMonthDay[0] ?? 1) > 0
      );
    default:
      return false;
  }
}
