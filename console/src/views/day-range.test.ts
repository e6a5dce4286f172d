import { describe, expect, it } from 'vitest';
import {
  addToDate,
  dateIn,
  dayBounds,
  monthGrid,
  moveToDay,
  nextDays,
  shiftMonth,
  zonedDay,
} from './day-range.js';

describe('the days of the dated views', () => {
  it('bounds today by the user zone, not UTC', () => {
    const now = new Date('2031-03-14T23:30:00Z');
    expect(zonedDay(now, 'UTC')).toMatchObject({ date: '2031-03-14' });
    const tokyo = zonedDay(now, 'Asia/Tokyo');
    expect(tokyo.date).toBe('2031-03-15');
    expect(tokyo.start.toISOString()).toBe('2031-03-14T15:00:00.000Z');
    expect(tokyo.end.toISOString()).toBe('2031-03-15T15:00:00.000Z');
  });

  it('gives a 23-hour day when the clocks go forward', () => {
    const day = zonedDay(new Date('2031-03-30T10:00:00Z'), 'Europe/Paris');
    expect(day.date).toBe('2031-03-30');
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * 3_600_000);
  });

  it('lists fourteen consecutive days for Upcoming, across a month end', () => {
    const days = nextDays(new Date('2031-01-25T12:00:00Z'), 'UTC', 14);
    expect(days.map((d) => d.date)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `2031-01-${25 + i}`),
      ...Array.from({ length: 7 }, (_, i) => `2031-02-0${1 + i}`),
    ]);
  });

  it('lays a month out in whole Monday-first weeks', () => {
    const weeks = monthGrid('2031-05');
    expect(weeks[0]![0]).toBe('2031-04-28');
    expect(weeks.at(-1)!.at(-1)).toBe('2031-06-01');
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(monthGrid('2027-02')).toHaveLength(4);
  });

  it('steps months across year ends', () => {
    expect(shiftMonth('2031-12', 1)).toBe('2032-01');
    expect(shiftMonth('2031-01', -1)).toBe('2030-12');
  });

  it('keeps the wall-clock time when a task moves to another day', () => {
    expect(moveToDay('2031-03-28T08:00:00Z', '2031-04-01', 'Europe/Paris')).toBe('2031-04-01T07:00:00.000Z');
  });

  it('bounds a range of whole days and reads dates back in the zone', () => {
    const { start, end } = dayBounds('2031-05-01', '2031-05-31', 'America/New_York');
    expect(start.toISOString()).toBe('2031-05-01T04:00:00.000Z');
    expect(end.toISOString()).toBe('2031-06-01T04:00:00.000Z');
    expect(dateIn(new Date('2031-05-01T03:00:00Z'), 'America/New_York')).toBe('2031-04-30');
    expect(addToDate('2031-02-28', 1)).toBe('2031-03-01');
  });
});
