// The API's describer covers every RRULE the API accepts; it has no dependencies, so it bundles here too.
import { DAY_NAMES, describeRecurrence as describeRule, list, MONTH_NAMES, ordinal } from '@todo/recurrence';
import type { Recurrence } from '../api/types.js';
import { fromRecurrence, type RecurrenceModel, WEEKDAYS, type Weekday } from './recurrence-model.js';

/** Plain-English summaries of recurrences, as shown in the list and under the builder. */

const UNIT: Record<RecurrenceModel['frequency'], string> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** "every 2 weeks on Monday and Wednesday", "every month on the last day, 5 times". */
export function summarize(model: RecurrenceModel): string {
  const { frequency, interval } = model;
  const weekdaysOnly =
    frequency === 'weekly' && interval === 1 && sameDays(model.weekdays, WEEKDAYS.slice(0, 5));
  let text: string;
  if (weekdaysOnly) text = 'every weekday';
  else if (frequency === 'weekly' && interval === 1 && sameDays(model.weekdays, ['SA', 'SU']))
    text = 'every weekend';
  else {
    text = interval === 1 ? `every ${UNIT[frequency]}` : `every ${interval} ${UNIT[frequency]}s`;
    if (frequency === 'weekly' && model.weekdays.length > 0) {
      if (interval === 1 && model.weekdays.length === 1) text = `every ${DAY_NAMES[model.weekdays[0]!]}`;
      else text += ` on ${list(model.weekdays.map((d) => DAY_NAMES[d]))}`;
    }
    if (frequency === 'monthly' && model.monthly) {
      const m = model.monthly;
      if (m.kind === 'day') text += ` on the ${ordinal(m.day)}`;
      else if (m.kind === 'last-day') text += ' on the last day';
      else text += ` on the ${m.nth === -1 ? 'last' : ordinal(m.nth)} ${DAY_NAMES[m.weekday]}`;
    }
    if (frequency === 'yearly' && model.yearly) {
      text += ` on ${MONTH_NAMES[model.yearly.month - 1]} ${model.yearly.day}`;
    }
  }
  if (model.end.kind === 'count') text += model.end.count === 1 ? ', once' : `, ${model.end.count} times`;
  if (model.end.kind === 'until') text += `, until ${formatDate(model.end.date)}`;
  if (model.from === 'completion') text += ', counted from completion';
  return text;
}

/**
 * The summary of a stored recurrence. Rules the builder cannot express (set through the API: BYHOUR,
 * BYSETPOS, several months…) are described by the API's own describer, and only a rule neither understands
 * is shown as it is.
 */
export function describeRecurrence(recurrence: Recurrence): string {
  const model = fromRecurrence(recurrence);
  if (model) return summarize(model);
  const described = describeRule(recurrence.rule);
  if (!described) return `custom schedule (${recurrence.rule})`;
  return recurrence.from === 'completion' ? `${described}, counted from completion` : described;
}

function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${MONTH_NAMES[(m ?? 1) - 1]} ${d}, ${y}`;
}

function sameDays(a: readonly Weekday[], b: readonly Weekday[]): boolean {
  return a.length === b.length && b.every((d) => a.includes(d));
}
