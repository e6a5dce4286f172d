import { describe, expect, it } from 'vitest';
import { formatDue } from './format.js';

const now = new Date('2026-11-25T22:30:00Z');

describe('due date labels', () => {
  it('names nearby days relative to today in the user zone', () => {
    expect(formatDue('2026-11-25T23:00:00Z', now, 'UTC', 'en-GB')).toBe('Today 23:00');
    // Already the 26th in Tokyo, so the same instant is "Today" there and the 27th is "Tomorrow".
    expect(formatDue('2026-11-26T01:00:00Z', now, 'Asia/Tokyo', 'en-GB')).toBe('Today 10:00');
    expect(formatDue('2026-11-27T01:00:00Z', now, 'Asia/Tokyo', 'en-GB')).toBe('Tomorrow 10:00');
    expect(formatDue('2026-11-24T09:00:00Z', now, 'UTC', 'en-GB')).toBe('Yesterday 09:00');
  });

  it('shows the weekday this year and the year otherwise', () => {
    expect(formatDue('2026-12-01T09:00:00Z', now, 'UTC', 'en-GB')).toBe('Tue 1 Dec 09:00');
    expect(formatDue('2027-01-05T09:00:00Z', now, 'UTC', 'en-GB')).toBe('5 Jan 2027 09:00');
  });
});
