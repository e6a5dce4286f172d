import { RRule } from 'rrule';
import { describe, expect, it } from 'vitest';
import { defaultRecurrence, fromRecurrence, type RecurrenceModel, toRecurrence } from './recurrence-model.js';
import { describeRecurrence, summarize } from './recurrence-summary.js';

const model = (patch: Partial<RecurrenceModel>): RecurrenceModel => ({ ...defaultRecurrence(), ...patch });

const cases: [string, RecurrenceModel, string, string][] = [
  ['daily', model({ frequency: 'daily' }), 'FREQ=DAILY', 'every day'],
  ['every 3 days', model({ frequency: 'daily', interval: 3 }), 'FREQ=DAILY;INTERVAL=3', 'every 3 days'],
  [
    'weekly on two days',
    model({ frequency: 'weekly', interval: 2, weekdays: ['MO', 'WE'] }),
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    'every 2 weeks on Monday and Wednesday',
  ],
  [
    'weekdays',
    model({ weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] }),
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    'every weekday',
  ],
  [
    'monthly by day',
    model({ frequency: 'monthly', monthly: { kind: 'day', day: 1 } }),
    'FREQ=MONTHLY;BYMONTHDAY=1',
    'every month on the 1st',
  ],
  [
    'monthly last day',
    model({ frequency: 'monthly', monthly: { kind: 'last-day' } }),
    'FREQ=MONTHLY;BYMONTHDAY=-1',
    'every month on the last day',
  ],
  [
    'monthly nth weekday',
    model({ frequency: 'monthly', monthly: { kind: 'weekday', nth: 3, weekday: 'TH' } }),
    'FREQ=MONTHLY;BYDAY=3TH',
    'every month on the 3rd Thursday',
  ],
  [
    'yearly on a date, ending after 5',
    model({ frequency: 'yearly', yearly: { month: 3, day: 22 }, end: { kind: 'count', count: 5 } }),
    'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=22;COUNT=5',
    'every year on March 22, 5 times',
  ],
  [
    'weekly until a date',
    model({ weekdays: ['FR'], end: { kind: 'until', date: '2027-01-31' } }),
    'FREQ=WEEKLY;BYDAY=FR;UNTIL=20270131T235959Z',
    'every Friday, until January 31, 2027',
  ],
];

describe('recurrence builder ↔ RRULE', () => {
  it.each(cases)('%s: model → rule → model is lossless', (_, m, rule, summary) => {
    const recurrence = toRecurrence(m);
    expect(recurrence).toEqual({ rule, from: 'due' });
    expect(fromRecurrence(recurrence)).toEqual(m);
    expect(summarize(m)).toBe(summary);
  });

  it.each(cases)('%s: the rule is valid RFC 5545 for the rrule library', (_, m) => {
    const { rule } = toRecurrence(m);
    expect(RRule.fromString(rule).toString()).toContain('RRULE:');
  });

  it('keeps the anchor and says so in the summary', () => {
    const m = model({ frequency: 'daily', interval: 10, from: 'completion' });
    expect(fromRecurrence(toRecurrence(m))).toEqual(m);
    expect(summarize(m)).toBe('every 10 days, counted from completion');
  });

  it('reads rules written by others, in any order and case', () => {
    expect(fromRecurrence({ rule: 'RRULE:byday=we,mo;freq=weekly;wkst=MO', from: 'due' })).toEqual(
      model({ weekdays: ['MO', 'WE'] }),
    );
  });

  it.each([
    ['FREQ=HOURLY', 'every hour'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'every month on the 1st and 15th'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'every month on the last weekday'],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=30', 'every week on Monday at 09:30'],
  ])('describes in words what the builder cannot show but the API accepts: %s', (rule, words) => {
    expect(fromRecurrence({ rule, from: 'due' })).toBeNull();
    expect(describeRecurrence({ rule, from: 'due' })).toBe(words);
    expect(describeRecurrence({ rule, from: 'completion' })).toBe(`${words}, counted from completion`);
  });

  it.each(['FREQ=WEEKLY;BYSETPOS=1', 'FREQ=DAILY;INTERVAL=0', 'FREQ=WEEKLY;BYDAY=XX', 'nonsense'])(
    'shows a rule nobody understands as it is: %s',
    (rule) => {
      expect(fromRecurrence({ rule, from: 'due' })).toBeNull();
      expect(describeRecurrence({ rule, from: 'due' })).toBe(`custom schedule (${rule})`);
    },
  );
});
