import { describe, expect, it } from 'vitest';
import { instant, nextDue, type Row } from '../test/support/occurrence-rows.js';
import { computeNextOccurrence } from './next-occurrence.js';

// 2026-01-05 is a Monday.
const table: [string, Row][] = [
  ['daily', { rule: 'FREQ=DAILY', due: '2026-01-05T09:00:00Z', next: '2026-01-06T09:00:00Z' }],
  // BYHOUR and BYMINUTE are sets: written out of order they still give a day's times in order.
  [
    'every 4 days at 18:00 and 03:00, from the evening to that day’s early morning',
    { rule: 'FREQ=DAILY;INTERVAL=4;BYHOUR=18,3', due: '2026-10-02T18:00:00Z', next: '2026-10-06T03:00:00Z' },
  ],
  [
    'weekly on Tue and Sat at :45 and :15, from Saturday :45 to Tuesday :15',
    {
      rule: 'FREQ=WEEKLY;BYDAY=SA,TU;BYMINUTE=45,15',
      due: '2026-02-07T20:45:00Z',
      next: '2026-02-10T20:15:00Z',
    },
  ],
  [
    'every 3 days',
    { rule: 'FREQ=DAILY;INTERVAL=3', due: '2026-01-05T09:00:00Z', next: '2026-01-08T09:00:00Z' },
  ],
  [
    'weekdays, from Friday over the weekend to Monday',
    { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due: '2026-01-09T09:00:00Z', next: '2026-01-12T09:00:00Z' },
  ],
  [
    'every 2 weeks on Mon+Wed, Monday → Wednesday',
    { rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', due: '2026-01-05T09:00:00Z', next: '2026-01-07T09:00:00Z' },
  ],
  [
    'every 2 weeks on Mon+Wed, Wednesday → Monday two weeks on',
    { rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', due: '2026-01-07T09:00:00Z', next: '2026-01-19T09:00:00Z' },
  ],
  [
    'monthly on the 31st skips February',
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=31', due: '2026-01-31T09:00:00Z', next: '2026-03-31T09:00:00Z' },
  ],
  [
    'monthly on the 31st skips April',
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=31', due: '2026-03-31T09:00:00Z', next: '2026-05-31T09:00:00Z' },
  ],
  [
    'monthly on the last day, into February',
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2026-01-31T09:00:00Z', next: '2026-02-28T09:00:00Z' },
  ],
  [
    'monthly on the last day, out of February',
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2026-02-28T09:00:00Z', next: '2026-03-31T09:00:00Z' },
  ],
  [
    'monthly on the last day in a leap year',
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=-1', due: '2028-01-31T09:00:00Z', next: '2028-02-29T09:00:00Z' },
  ],
  [
    'monthly on the second Tuesday',
    { rule: 'FREQ=MONTHLY;BYDAY=2TU', due: '2026-01-13T09:00:00Z', next: '2026-02-10T09:00:00Z' },
  ],
  [
    'yearly on Feb 29 is four years later',
    {
      rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
      due: '2028-02-29T09:00:00Z',
      next: '2032-02-29T09:00:00Z',
    },
  ],
  [
    'plain yearly from Feb 29 keeps Feb 29',
    { rule: 'FREQ=YEARLY', due: '2024-02-29T09:00:00Z', next: '2028-02-29T09:00:00Z' },
  ],
  [
    'yearly on Feb 29 skips 2100, which is not a leap year',
    {
      rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
      due: '2096-02-29T09:00:00Z',
      next: '2104-02-29T09:00:00Z',
    },
  ],
  [
    'a fifth Monday in February, decades away',
    {
      rule: 'FREQ=YEARLY;BYMONTH=2;BYDAY=MO;BYSETPOS=5',
      due: '2026-02-02T09:00:00Z',
      next: '2044-02-29T09:00:00Z',
    },
  ],
];

const completionTable: [string, Row][] = [
  [
    'every 3 days after completion: done Wednesday afternoon → Saturday at the usual time',
    {
      rule: 'FREQ=DAILY;INTERVAL=3',
      from: 'completion',
      zone: 'America/New_York',
      due: '2026-01-05T09:00:00-05:00',
      completed: '2026-01-07T15:30:00-05:00',
      next: '2026-01-10T09:00:00-05:00',
    },
  ],
  [
    'every 3 days after completion: done early Wednesday, before the usual time → still Saturday',
    {
      rule: 'FREQ=DAILY;INTERVAL=3',
      from: 'completion',
      zone: 'America/New_York',
      due: '2026-01-05T09:00:00-05:00',
      completed: '2026-01-07T07:00:00-05:00',
      next: '2026-01-10T09:00:00-05:00',
    },
  ],
  [
    'weekly on Monday after completion: done Thursday → next Monday',
    {
      rule: 'FREQ=WEEKLY;BYDAY=MO',
      from: 'completion',
      due: '2026-01-05T09:00:00Z',
      completed: '2026-01-08T12:00:00Z',
      next: '2026-01-12T09:00:00Z',
    },
  ],
  [
    'every 4 hours after completion counts from the completion minute',
    {
      rule: 'FREQ=HOURLY;INTERVAL=4',
      from: 'completion',
      due: '2026-01-05T09:00:00Z',
      completed: '2026-01-05T10:31:20Z',
      next: '2026-01-05T14:31:00Z',
    },
  ],
  [
    'without a due date the completion time is the anchor',
    { rule: 'FREQ=DAILY', due: null, completed: '2026-01-07T15:30:20Z', next: '2026-01-08T15:30:00Z' },
  ],
  [
    'without a due date, after completion, likewise',
    {
      rule: 'FREQ=WEEKLY',
      from: 'completion',
      due: null,
      zone: 'Europe/London',
      completed: '2026-03-25T18:00:00Z',
      next: '2026-04-01T18:00:00+01:00',
    },
  ],
  ['without a due date or completion there is no anchor', { rule: 'FREQ=DAILY', due: null, next: null }],
];

const endingTable: [string, Row][] = [
  [
    'COUNT=3, first task',
    { rule: 'FREQ=DAILY;COUNT=3', due: '2026-01-05T09:00:00Z', next: '2026-01-06T09:00:00Z' },
  ],
  [
    'COUNT=3, second task',
    { rule: 'FREQ=DAILY;COUNT=3', due: '2026-01-06T09:00:00Z', index: 2, next: '2026-01-07T09:00:00Z' },
  ],
  [
    'COUNT=3, third task ends the series',
    { rule: 'FREQ=DAILY;COUNT=3', due: '2026-01-07T09:00:00Z', index: 3, next: null },
  ],
  ['COUNT=1 never repeats', { rule: 'FREQ=DAILY;COUNT=1', due: '2026-01-05T09:00:00Z', next: null }],
  [
    'UNTIL includes its own instant',
    { rule: 'FREQ=DAILY;UNTIL=20260107T090000Z', due: '2026-01-06T09:00:00Z', next: '2026-01-07T09:00:00Z' },
  ],
  [
    'UNTIL ends the series',
    { rule: 'FREQ=DAILY;UNTIL=20260107T090000Z', due: '2026-01-07T09:00:00Z', next: null },
  ],
  [
    'a local UNTIL is read in the task zone',
    {
      rule: 'FREQ=DAILY;UNTIL=20260107T085959',
      zone: 'America/New_York',
      due: '2026-01-06T09:00:00-05:00',
      next: null,
    },
  ],
  [
    'a date-only UNTIL includes that whole local day',
    {
      rule: 'FREQ=DAILY;UNTIL=20260107',
      zone: 'America/New_York',
      due: '2026-01-06T21:00:00-05:00',
      next: '2026-01-07T21:00:00-05:00',
    },
  ],
  [
    'a rule that never matches again',
    { rule: 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6', due: '2026-01-05T09:00:00Z', next: null },
  ],
  [
    'an hourly BYHOUR that INTERVAL can never reach (rrule alone would loop forever)',
    { rule: 'FREQ=HOURLY;INTERVAL=2;BYHOUR=9', due: '2026-01-05T10:00:00Z', next: null },
  ],
  [
    'a weekly step that never lands on the chosen weekday',
    { rule: 'FREQ=DAILY;INTERVAL=7;BYDAY=TU', due: '2026-01-05T09:00:00Z', next: null },
  ],
  [
    'an occurrence beyond the search bound',
    { rule: 'FREQ=YEARLY;INTERVAL=1000', due: '2026-01-05T09:00:00Z', next: null },
  ],
  [
    'an unknown stored time zone falls back to UTC rather than failing',
    { rule: 'FREQ=DAILY', zone: 'Mars/Olympus', due: '2026-01-05T09:00:00Z', next: '2026-01-06T09:00:00Z' },
  ],
  ['an invalid stored rule', { rule: 'FREQ=SECONDLY', due: '2026-01-05T09:00:00Z', next: null }],
];

describe('computeNextOccurrence', () => {
  describe.each([
    ['from the due date', table],
    ['after completion and without a due date', completionTable],
    ['COUNT, UNTIL and rules that stop matching', endingTable],
  ])('%s', (_group, rows) => {
    it.each(rows)('%s', (_name, row) => {
      expect(nextDue(row)).toBe(row.next === null ? null : instant(row.next));
    });
  });

  it('numbers the successor so COUNT keeps counting, and starts an anchor for a task without one', () => {
    const result = computeNextOccurrence({
      dueAt: '2026-01-05T09:00:00Z',
      timeZone: 'UTC',
      recurrence: { rule: 'FREQ=DAILY;COUNT=5', from: 'due' },
      completedAt: null,
      occurrenceIndex: 2,
    });
    expect(result).toEqual({
      dueAt: '2026-01-06T09:00:00.000Z',
      occurrenceIndex: 3,
      seriesStart: '2026-01-05T09:00:00',
    });
  });

  it('has no successor for a task without recurrence', () => {
    const task = { dueAt: '2026-01-05T09:00:00Z', timeZone: 'UTC', recurrence: null, completedAt: null };
    expect(computeNextOccurrence(task)).toBeNull();
  });
});
