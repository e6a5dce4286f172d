import { newRuleParts, RRule, type RuleParts } from '@todo/recurrence';
import { describe, expect, it } from 'vitest';
import { type BuilderValue, monthlyChoice, toBuilderValue, toRecurrence } from './builder-rule.js';
import { describeRecurrence } from './recurrence-summary.js';

const value = (freq: RuleParts['freq'], parts: Partial<RuleParts> = {}): BuilderValue => ({
  parts: newRuleParts(freq, parts),
  from: 'due',
});
const lastDayOfJanuary2027 = { year: 2027, month: 1, day: 31, hour: 23, minute: 59, second: 59 };

const cases: [string, BuilderValue, string, string][] = [
  ['daily', value('DAILY'), 'FREQ=DAILY', 'every day'],
  ['every 3 days', value('DAILY', { interval: 3 }), 'FREQ=DAILY;INTERVAL=3', 'every 3 days'],
  [
    'weekly on two days',
    value('WEEKLY', { interval: 2, byDay: [{ weekday: 'MO' }, { weekday: 'WE' }] }),
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    'every 2 weeks on Monday and Wednesday',
  ],
  [
    'weekdays',
    value('WEEKLY', { byDay: (['MO', 'TU', 'WE', 'TH', 'FR'] as const).map((weekday) => ({ weekday })) }),
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    'every weekday',
  ],
  [
    'monthly by day',
    value('MONTHLY', { byMonthDay: [1] }),
    'FREQ=MONTHLY;BYMONTHDAY=1',
    'every month on the 1st',
  ],
  [
    'monthly last day',
    value('MONTHLY', { byMonthDay: [-1] }),
    'FREQ=MONTHLY;BYMONTHDAY=-1',
    'every month on the last day',
  ],
  [
    'monthly nth weekday',
    value('MONTHLY', { byDay: [{ weekday: 'TH', n: 3 }] }),
    'FREQ=MONTHLY;BYDAY=3TH',
    'every month on the 3rd Thursday',
  ],
  [
    'yearly on a date, ending after 5',
    value('YEARLY', { byMonth: [3], byMonthDay: [22], count: 5 }),
    'FREQ=YEARLY;COUNT=5;BYMONTH=3;BYMONTHDAY=22',
    'every year on March 22, 5 times',
  ],
  [
    'weekly until a date',
    value('WEEKLY', { byDay: [{ weekday: 'FR' }], until: { wallClock: lastDayOfJanuary2027, utc: true } }),
    'FREQ=WEEKLY;UNTIL=20270131T235959Z;BYDAY=FR',
    'every week on Friday, until 31 January 2027',
  ],
];

describe('recurrence builder ↔ RRULE', () => {
  it.each(cases)('%s: value → rule → value is lossless', (_, v, rule, summary) => {
    const recurrence = toRecurrence(v);
    expect(recurrence).toEqual({ rule, from: 'due' });
    expect(toBuilderValue(recurrence)).toEqual(v);
    expect(describeRecurrence(recurrence)).toBe(summary);
  });

  it.each(cases)('%s: the rule is valid RFC 5545 for the rrule library', (_, v) => {
    const { rule } = toRecurrence(v);
    expect(RRule.fromString(rule).toString()).toContain('RRULE:');
  });

  it('keeps where the next one counts from and says so in the summary', () => {
    const v: BuilderValue = { ...value('DAILY', { interval: 10 }), from: 'completion' };
    expect(toBuilderValue(toRecurrence(v))).toEqual(v);
    expect(describeRecurrence(toRecurrence(v))).toBe('every 10 days, counted from completion');
  });

  it('reads rules written by others, in any order and case', () => {
    const read = toBuilderValue({ rule: 'RRULE:byday=we,mo;freq=weekly;wkst=MO', from: 'due' });
    expect(read?.parts.freq).toBe('WEEKLY');
    expect(read?.parts.byDay.map((day) => day.weekday).sort()).toEqual(['MO', 'WE']);
  });

  it.each([
    ['FREQ=MONTHLY', 'due-day'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'day'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'last-day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'weekday'],
  ])('shows %s as the monthly choice "%s"', (rule, choice) => {
    expect(monthlyChoice(toBuilderValue({ rule, from: 'due' })!.parts)).toBe(choice);
  });

  it.each([
    ['FREQ=HOURLY', 'every hour'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'every month on the 1st and 15th'],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', 'every month on the 2nd to last day'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'every month on the last weekday'],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=30', 'every week on Monday at 09:30'],
  ])('describes in words what the builder cannot show but the API accepts: %s', (rule, words) => {
    expect(toBuilderValue({ rule, from: 'due' })).toBeNull();
    expect(describeRecurrence({ rule, from: 'due' })).toBe(words);
    expect(describeRecurrence({ rule, from: 'completion' })).toBe(`${words}, counted from completion`);
  });

  it.each(['FREQ=WEEKLY;BYSETPOS=1', 'FREQ=DAILY;INTERVAL=0', 'FREQ=WEEKLY;BYDAY=XX', 'nonsense'])(
    'shows a rule nobody understands as it is: %s',
    (rule) => {
      expect(toBuilderValue({ rule, from: 'due' })).toBeNull();
      expect(describeRecurrence({ rule, from: 'due' })).toBe(`custom schedule (${rule})`);
    },
  );
});
