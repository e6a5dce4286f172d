import { describe, expect, it } from 'vitest';
import { firstOccurrence } from './first-occurrence.js';
import { parseRuleParts } from './parse-rule-parts.js';
import type { WallClock } from './time-zone.js';

// Wednesday 25 November 2026.
const wednesday9am: WallClock = { year: 2026, month: 11, day: 25, hour: 9, minute: 0, second: 0 };

function first(rule: string, start: WallClock, now: string, timeZone = 'UTC'): string | null {
  const parsed = parseRuleParts(rule);
  if (!parsed.ok) throw new Error(parsed.message);
  return firstOccurrence(parsed.parts, start, timeZone, new Date(now))?.toISOString() ?? null;
}

describe('firstOccurrence', () => {
  it.each([
    ['today, when its time is still ahead', 'FREQ=DAILY', '2026-11-25T08:00:00Z', '2026-11-25T09:00:00.000Z'],
    [
      'tomorrow, when today’s time has passed',
      'FREQ=DAILY',
      '2026-11-25T10:00:00Z',
      '2026-11-26T09:00:00.000Z',
    ],
    ['the next matching weekday', 'FREQ=WEEKLY;BYDAY=MO', '2026-11-25T08:00:00Z', '2026-11-30T09:00:00.000Z'],
    [
      'the next matching weekday, whatever the interval',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      '2026-11-25T08:00:00Z',
      '2026-11-30T09:00:00.000Z',
    ],
    [
      'the last day of the month',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      '2026-11-25T08:00:00Z',
      '2026-11-30T09:00:00.000Z',
    ],
    [
      'a COUNT does not stop the first',
      'FREQ=DAILY;COUNT=1',
      '2026-11-25T08:00:00Z',
      '2026-11-25T09:00:00.000Z',
    ],
    ['nothing after UNTIL', 'FREQ=DAILY;UNTIL=20261124T235959Z', '2026-11-25T08:00:00Z', null],
  ])('%s', (_name, rule, now, expected) => {
    expect(first(rule, wednesday9am, now)).toBe(expected);
  });

  it('moves a wall-clock time skipped by a DST gap forward by the gap, as the API does', () => {
    const gapNight: WallClock = { year: 2025, month: 3, day: 9, hour: 2, minute: 30, second: 0 };
    expect(first('FREQ=DAILY', gapNight, '2025-03-08T00:00:00Z', 'America/New_York')).toBe(
      '2025-03-09T07:30:00.000Z',
    );
  });
});
