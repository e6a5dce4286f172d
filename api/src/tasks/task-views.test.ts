import { describe, expect, it } from 'vitest';
import { viewWindow } from './task-views.js';

describe('viewWindow', () => {
  it.each([
    [
      'today in UTC',
      'today',
      'UTC',
      '2030-03-10T15:00:00Z',
      '2030-03-10T00:00:00.000Z',
      '2030-03-11T00:00:00.000Z',
    ],
    [
      'today east of UTC, before UTC midnight',
      'today',
      'Asia/Tokyo',
      '2030-03-10T16:00:00Z',
      '2030-03-10T15:00:00.000Z',
      '2030-03-11T15:00:00.000Z',
    ],
    [
      'today west of UTC',
      'today',
      'America/New_York',
      '2030-03-10T03:00:00Z',
      '2030-03-09T05:00:00.000Z',
      '2030-03-10T05:00:00.000Z',
    ],
    [
      'today on a spring-forward day (23 h)',
      'today',
      'America/New_York',
      '2030-03-10T12:00:00Z',
      '2030-03-10T05:00:00.000Z',
      '2030-03-11T04:00:00.000Z',
    ],
    [
      'upcoming across a month end',
      'upcoming',
      'UTC',
      '2030-01-25T08:00:00Z',
      '2030-01-25T00:00:00.000Z',
      '2030-02-08T00:00:00.000Z',
    ],
  ] as const)('%s', (_name, view, zone, now, from, until) => {
    const w = viewWindow(view, zone, new Date(now));
    expect({ from: w.from.toISOString(), until: w.until.toISOString() }).toEqual({ from, until });
  });
});
