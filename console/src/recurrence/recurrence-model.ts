import type { Recurrence } from '../api/types.js';

/** What the recurrence builder edits; `toRecurrence` / `fromRecurrence` map it to the API's RRULE. */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Frequency = 'daily' | 'weekly' | 'monthly' | 'yearly';

export type MonthlyPattern =
  | { kind: 'day'; day: number } // 1–31
  | { kind: 'last-day' }
  | { kind: 'weekday'; nth: 1 | 2 | 3 | 4 | -1; weekday: Weekday };

export type RecurrenceEnd =
  | { kind: 'never' }
  | { kind: 'count'; count: number }
  | { kind: 'until'; date: string }; // YYYY-MM-DD, inclusive

export interface RecurrenceModel {
  frequency: Frequency;
  interval: number;
  /** Weekly: the days it repeats on; empty means the due date's weekday. */
  weekdays: Weekday[];
  /** Monthly: which day of the month; null means the due date's day. */
  monthly: MonthlyPattern | null;
  /** Yearly: month and day; null means the due date's anniversary. */
  yearly: { month: number; day: number } | null;
  end: RecurrenceEnd;
  from: 'due' | 'completion';
}

/** The model behind a blank builder: every week, never ending. */
export function defaultRecurrence(): RecurrenceModel {
  return {
    frequency: 'weekly',
    interval: 1,
    weekdays: [],
    monthly: null,
    yearly: null,
    end: { kind: 'never' },
    from: 'due',
  };
}

const FREQ_TOKEN: Record<Frequency, string> = {
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  yearly: 'YEARLY',
};

/** The RFC 5545 RRULE (without DTSTART) and anchor the API stores. */
export function toRecurrence(model: RecurrenceModel): Recurrence {
  const parts = [`FREQ=${FREQ_TOKEN[model.frequency]}`];
  if (model.interval > 1) parts.push(`INTERVAL=${model.interval}`);
  if (model.frequency === 'weekly' && model.weekdays.length > 0) {
    parts.push(`BYDAY=${sortWeekdays(model.weekdays).join(',')}`);
  }
  if (model.frequency === 'monthly' && model.monthly) {
    const m = model.monthly;
    if (m.kind === 'day') parts.push(`BYMONTHDAY=${m.day}`);
    else if (m.kind === 'last-day') parts.push('BYMONTHDAY=-1');
    else parts.push(`BYDAY=${m.nth}${m.weekday}`);
  }
  if (model.frequency === 'yearly' && model.yearly) {
    parts.push(`BYMONTH=${model.yearly.month}`, `BYMONTHDAY=${model.yearly.day}`);
  }
  if (model.end.kind === 'count') parts.push(`COUNT=${model.end.count}`);
  if (model.end.kind === 'until') parts.push(`UNTIL=${model.end.date.replaceAll('-', '')}T235959Z`);
  return { rule: parts.join(';'), from: model.from };
}

/** The builder model for a stored recurrence, or null when the rule uses parts the builder cannot show. */
export function fromRecurrence(recurrence: Recurrence): RecurrenceModel | null {
  const fields = new Map<string, string>();
  for (const part of recurrence.rule.replace(/^RRULE:/i, '').split(';')) {
    const [key, value] = part.split('=');
    if (!key || value === undefined || fields.has(key.toUpperCase())) return null;
    fields.set(key.toUpperCase(), value.toUpperCase());
  }
  const take = (key: string) => {
    const v = fields.get(key);
    fields.delete(key);
    return v;
  };
  const freq = take('FREQ');
  const frequency = (Object.keys(FREQ_TOKEN) as Frequency[]).find((f) => FREQ_TOKEN[f] === freq);
  if (!frequency) return null;
  const model: RecurrenceModel = { ...defaultRecurrence(), frequency, from: recurrence.from };
  const interval = take('INTERVAL');
  if (interval !== undefined) {
    model.interval = Number(interval);
    if (!Number.isInteger(model.interval) || model.interval < 1) return null;
  }
  const count = take('COUNT');
  const until = take('UNTIL');
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) return null;
    model.end = { kind: 'count', count: n };
  } else if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(until);
    if (!m) return null;
    model.end = { kind: 'until', date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  const byDay = take('BYDAY');
  const byMonthDay = take('BYMONTHDAY');
  const byMonth = take('BYMONTH');
  take('WKST'); // The week start does not change any schedule the builder can express.
  if (fields.size > 0) return null;
  if (frequency === 'weekly') {
    if (byMonthDay !== undefined || byMonth !== undefined) return null;
    if (byDay !== undefined) {
      const days = byDay.split(',');
      if (!days.every(isWeekday)) return null;
      model.weekdays = sortWeekdays(days as Weekday[]);
    }
  } else if (frequency === 'monthly') {
    if (byMonth !== undefined) return null;
    if (byMonthDay !== undefined && byDay !== undefined) return null;
    if (byMonthDay === '-1') model.monthly = { kind: 'last-day' };
    else if (byMonthDay !== undefined) {
      const day = Number(byMonthDay);
      if (!Number.isInteger(day) || day < 1 || day > 31) return null;
      model.monthly = { kind: 'day', day };
    } else if (byDay !== undefined) {
      const m = /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay);
      if (!m) return null;
      model.monthly = { kind: 'weekday', nth: Number(m[1]) as 1 | 2 | 3 | 4 | -1, weekday: m[2] as Weekday };
    }
  } else if (frequency === 'yearly') {
    if (byDay !== undefined) return null;
    if ((byMonth === undefined) !== (byMonthDay === undefined)) return null;
    if (byMonth !== undefined) {
      const month = Number(byMonth);
      const day = Number(byMonthDay);
      if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return null;
      model.yearly = { month, day };
    }
  } else if (byDay !== undefined || byMonthDay !== undefined || byMonth !== undefined) {
    return null;
  }
  return model;
}

function isWeekday(s: string): s is Weekday {
  return (WEEKDAYS as readonly string[]).includes(s);
}

function sortWeekdays(days: Weekday[]): Weekday[] {
  return [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}
