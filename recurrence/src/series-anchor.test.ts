import { describe, expect, it } from 'vitest';
import { seriesAnchorAt } from './series-anchor.js';
import { dueDatesOfSeries } from './testing/index.js';

/** Completes a series task after task, as the API does, and lists the due dates in UTC. */
function completeRepeatedly(first: string, timeZone: string, rule: string, times: number): string[] {
  const seriesStart = seriesAnchorAt(new Date(first), timeZone);
  return dueDatesOfSeries({ dueAt: new Date(first).toISOString(), timeZone, rule, seriesStart }, times + 1);
}

describe('a series keeps its anchor across a DST gap', () => {
  const newYork = 'America/New_York';

  it('returns to 02:30 on the days after the gap moved one occurrence to 03:30', () => {
    expect(completeRepeatedly('2027-03-12T02:30:00-05:00', newYork, 'FREQ=DAILY', 5)).toEqual([
      '2027-03-12T07:30:00.000Z', // 02:30 EST
      '2027-03-13T07:30:00.000Z', // 02:30 EST
      '2027-03-14T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2027-03-15T06:30:00.000Z', // 02:30 EDT
      '2027-03-16T06:30:00.000Z',
      '2027-03-17T06:30:00.000Z',
    ]);
  });

  it('keeps the occurrence on UNTIL when the gap came before it', () => {
    const dues = completeRepeatedly(
      '2027-03-12T02:30:00-05:00',
      newYork,
      'FREQ=DAILY;UNTIL=20270316T023000',
      9,
    );
    expect(dues.at(-1)).toBe('2027-03-16T06:30:00.000Z');
    expect(dues).toHaveLength(5);
  });

  it('keeps an hourly series on its half hours after the gap', () => {
    expect(completeRepeatedly('2027-03-14T00:30:00-05:00', newYork, 'FREQ=HOURLY;INTERVAL=2', 3)).toEqual([
      '2027-03-14T05:30:00.000Z', // 00:30 EST
      '2027-03-14T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2027-03-14T08:30:00.000Z', // 04:30 EDT
      '2027-03-14T10:30:00.000Z', // 06:30 EDT
    ]);
  });

  it('records the anchor as the local wall-clock time of the first occurrence', () => {
    expect(seriesAnchorAt(new Date('2027-03-12T02:30:00-05:00'), newYork)).toBe('2027-03-12T02:30:00');
  });
});
