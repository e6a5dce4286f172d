import { describe, expect, it } from 'vitest';
import { instant, nextDue, type Row } from '../test/support/occurrence-rows.js';

const dstTable: [string, Row][] = [
  [
    'New York, March: 09:00 EST stays 09:00 EDT',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      due: '2026-03-07T09:00:00-05:00',
      next: '2026-03-08T09:00:00-04:00',
    },
  ],
  [
    'New York, March, weekly',
    {
      rule: 'FREQ=WEEKLY',
      zone: 'America/New_York',
      due: '2026-03-02T09:00:00-05:00',
      next: '2026-03-09T09:00:00-04:00',
    },
  ],
  [
    'New York, November: 09:00 EDT stays 09:00 EST',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      due: '2026-10-31T09:00:00-04:00',
      next: '2026-11-01T09:00:00-05:00',
    },
  ],
  [
    'London, March: 09:00 GMT stays 09:00 BST',
    {
      rule: 'FREQ=DAILY',
      zone: 'Europe/London',
      due: '2026-03-28T09:00:00Z',
      next: '2026-03-29T09:00:00+01:00',
    },
  ],
  [
    'London, October: 09:00 BST stays 09:00 GMT',
    {
      rule: 'FREQ=DAILY',
      zone: 'Europe/London',
      due: '2026-10-24T09:00:00+01:00',
      next: '2026-10-25T09:00:00Z',
    },
  ],
  [
    'New York gap: 02:30 does not exist on 8 March and moves to 03:30 EDT',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      due: '2026-03-07T02:30:00-05:00',
      next: '2026-03-08T03:30:00-04:00',
    },
  ],
  [
    'New York gap: the day after a moved occurrence returns to the anchor time',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      start: '2026-03-07T02:30:00',
      due: '2026-03-08T03:30:00-04:00',
      next: '2026-03-09T02:30:00-04:00',
    },
  ],
  [
    'New York gap: a series anchored at 03:30 stays at 03:30',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      start: '2026-03-07T03:30:00',
      due: '2026-03-08T03:30:00-04:00',
      next: '2026-03-09T03:30:00-04:00',
    },
  ],
  [
    'New York gap, without an anchor (a task from before anchors): its own local time continues',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      due: '2026-03-08T03:30:00-04:00',
      next: '2026-03-09T03:30:00-04:00',
    },
  ],
  [
    'New York gap, after completion: the anchor gives the time of day',
    {
      rule: 'FREQ=DAILY;INTERVAL=2',
      from: 'completion',
      zone: 'America/New_York',
      start: '2026-03-07T02:30:00',
      due: '2026-03-08T03:30:00-04:00',
      completed: '2026-03-08T12:00:00-04:00',
      next: '2026-03-10T02:30:00-04:00',
    },
  ],
  [
    'London gap: 01:30 does not exist on 29 March and moves to 02:30 BST',
    {
      rule: 'FREQ=DAILY',
      zone: 'Europe/London',
      due: '2026-03-28T01:30:00Z',
      next: '2026-03-29T02:30:00+01:00',
    },
  ],
  [
    'New York overlap: 01:30 on 1 November is the first (EDT) one',
    {
      rule: 'FREQ=DAILY',
      zone: 'America/New_York',
      due: '2026-10-31T01:30:00-04:00',
      next: '2026-11-01T01:30:00-04:00',
    },
  ],
  [
    'New York overlap, hourly: wall-clock hours, so the repeated hour is not repeated',
    {
      rule: 'FREQ=HOURLY',
      zone: 'America/New_York',
      due: '2026-11-01T01:30:00-04:00',
      next: '2026-11-01T02:30:00-05:00',
    },
  ],
  [
    'New York overlap, half-hourly: never earlier than the current due instant',
    {
      rule: 'FREQ=HOURLY;BYMINUTE=0,30',
      zone: 'America/New_York',
      due: '2026-11-01T01:00:00-05:00',
      next: '2026-11-01T02:00:00-05:00',
    },
  ],
  [
    'Europe/London recurring weekly across October',
    {
      rule: 'FREQ=WEEKLY;BYDAY=SA',
      zone: 'Europe/London',
      due: '2026-10-24T18:00:00+01:00',
      next: '2026-10-31T18:00:00Z',
    },
  ],
];

describe('computeNextOccurrence across DST transitions', () => {
  it.each(dstTable)('%s', (_name, row) => {
    expect(nextDue(row)).toBe(row.next === null ? null : instant(row.next));
  });
});
