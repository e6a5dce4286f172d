import { addDays, daysInMonth, type WallTime, weekdayIndex } from '../time/zoned.js';
import { type RecurrenceModel, WEEKDAYS } from './recurrence-model.js';

type DateOnly = Pick<WallTime, 'year' | 'month' | 'day'>;

/** The first date on or after `start` that the recurrence pattern lands on: the due date a new series gets. */
export function firstOccurrence(model: RecurrenceModel, start: DateOnly): DateOnly {
  const at = (year: number, month: number, day: number): DateOnly => ({ year, month, day });
  const notBefore = (d: DateOnly) => compare(d, start) >= 0;
  switch (model.frequency) {
    case 'daily':
      return start;
    case 'weekly': {
      if (model.weekdays.length === 0) return start;
      const wanted = new Set(model.weekdays.map((d) => WEEKDAYS.indexOf(d)));
      let d: WallTime = { ...start, hour: 0, minute: 0 };
      while (!wanted.has(weekdayIndex(d))) d = addDays(d, 1);
      return at(d.year, d.month, d.day);
    }
    case 'monthly': {
      const pattern = model.monthly;
      if (!pattern) return start;
      for (let i = 0; i < 48; i++) {
        const month0 = start.month - 1 + i;
        const year = start.year + Math.floor(month0 / 12);
        const month = (month0 % 12) + 1;
        const day = dayInMonth(pattern, year, month);
        if (day !== null && notBefore(at(year, month, day))) return at(year, month, day);
      }
      return start;
    }
    case 'yearly': {
      if (!model.yearly) return start;
      const { month, day } = model.yearly;
      for (let year = start.year; year < start.year + 8; year++) {
        if (day <= daysInMonth(year, month) && notBefore(at(year, month, day))) return at(year, month, day);
      }
      return start;
    }
  }
}

function dayInMonth(
  pattern: NonNullable<RecurrenceModel['monthly']>,
  year: number,
  month: number,
): number | null {
  const last = daysInMonth(year, month);
  if (pattern.kind === 'day') return pattern.day <= last ? pattern.day : null;
  if (pattern.kind === 'last-day') return last;
  const target = WEEKDAYS.indexOf(pattern.weekday);
  if (pattern.nth === -1) {
    const lastWeekday = weekdayIndex({ year, month, day: last });
    return last - ((lastWeekday - target + 7) % 7);
  }
  const firstWeekday = weekdayIndex({ year, month, day: 1 });
  const day = 1 + ((target - firstWeekday + 7) % 7) + (pattern.nth - 1) * 7;
  return day <= last ? day : null;
}

function compare(a: DateOnly, b: DateOnly): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
