import { describe, expect, it } from 'vitest';
import {
  cachedTimeZoneCount,
  canonicalTimeZone,
  instantToZonedWallClock,
  isValidTimeZone,
  type WallClock,
  zonedWallClockToInstant,
  zoneOffsetAt,
  zoneTransitions,
} from './time-zone.js';

const HOUR = 3_600_000;

function wall(text: string): WallClock {
  const [date = '', time = ''] = text.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second = 0] = time.split(':').map(Number);
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second };
}

describe('zonedWallClockToInstant', () => {
  it.each([
    [
      'an ordinary winter time in New York',
      '2026-01-15T09:00',
      'America/New_York',
      '2026-01-15T14:00:00.000Z',
    ],
    [
      'an ordinary summer time in New York',
      '2026-07-15T09:00',
      'America/New_York',
      '2026-07-15T13:00:00.000Z',
    ],
    ['UTC', '2026-07-15T09:00', 'UTC', '2026-07-15T09:00:00.000Z'],
    ['a half-hour zone', '2026-07-15T09:00', 'Asia/Kolkata', '2026-07-15T03:30:00.000Z'],
    ['a zone east of the date line', '2026-01-01T00:00', 'Pacific/Kiritimati', '2025-12-31T10:00:00.000Z'],
    [
      'New York spring-forward gap: 02:30 moves to 03:30 EDT',
      '2026-03-08T02:30',
      'America/New_York',
      '2026-03-08T07:30:00.000Z',
    ],
    [
      'London spring-forward gap: 01:15 moves to 02:15 BST',
      '2026-03-29T01:15',
      'Europe/London',
      '2026-03-29T01:15:00.000Z',
    ],
    [
      'New York fall-back overlap: 01:30 is the earlier (EDT) one',
      '2026-11-01T01:30',
      'America/New_York',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'London fall-back overlap: 01:30 is the earlier (BST) one',
      '2026-10-25T01:30',
      'Europe/London',
      '2026-10-25T00:30:00.000Z',
    ],
    ['just after the New York overlap', '2026-11-01T02:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    ['Lord Howe half-hour DST gap', '2026-10-04T02:15', 'Australia/Lord_Howe', '2026-10-03T15:45:00.000Z'],
  ])('converts %s', (_name, local, zone, expected) => {
    expect(zonedWallClockToInstant(wall(local), zone).toISOString()).toBe(expected);
  });

  it('round-trips every half hour around each DST change and every day between', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe']) {
      const changes = zoneTransitions(
        zone,
        new Date('2026-01-01T00:00:00Z'),
        new Date('2027-01-01T00:00:00Z'),
      );
      const daily = Array.from({ length: 365 }, (_, day) => Date.UTC(2026, 0, 1, 12) + day * 86_400_000);
      const nearChanges = changes.flatMap((change) =>
        Array.from({ length: 96 }, (_, step) => change.at.getTime() + (step - 48) * 1_800_000),
      );
      for (const t of [...daily, ...nearChanges]) {
        const back = zonedWallClockToInstant(instantToZonedWallClock(new Date(t), zone), zone);
        // A repeated (overlap) wall-clock time maps back to its first instant; all others round-trip exactly.
        const shift = t - back.getTime();
        expect(
          shift === 0 || shift === 3_600_000 || shift === 1_800_000,
          `${zone} ${new Date(t).toISOString()}`,
        ).toBe(true);
        expect(shift === 0 || changes.some((change) => Math.abs(change.at.getTime() - t) <= 3_600_000)).toBe(
          true,
        );
      }
    }
  });
});

describe('instantToZonedWallClock', () => {
  it('reads the local wall clock on both sides of a DST change', () => {
    expect(instantToZonedWallClock(new Date('2026-03-08T06:59:59Z'), 'America/New_York')).toEqual(
      wall('2026-03-08T01:59:59'),
    );
    expect(instantToZonedWallClock(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual(
      wall('2026-03-08T03:00:00'),
    );
  });

  it('reports midnight as hour 0, not 24', () => {
    expect(instantToZonedWallClock(new Date('2026-06-01T00:00:00Z'), 'UTC').hour).toBe(0);
  });
});

describe('zoneOffsetAt', () => {
  it('gives the offset in milliseconds', () => {
    expect(zoneOffsetAt(new Date('2026-07-01T00:00:00Z'), 'Europe/London')).toBe(3_600_000);
    expect(zoneOffsetAt(new Date('2026-01-01T00:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/London', true],
    ['UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['Europe/London\r\nX', false],
  ])('%j → %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});

describe('zoneTransitions', () => {
  const year2026 = [new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')] as const;

  it('finds both New York changes of 2026 to the minute', () => {
    expect(zoneTransitions('America/New_York', ...year2026)).toEqual([
      { at: new Date('2026-03-08T07:00:00Z'), offsetFrom: -5 * HOUR, offsetTo: -4 * HOUR },
      { at: new Date('2026-11-01T06:00:00Z'), offsetFrom: -4 * HOUR, offsetTo: -5 * HOUR },
    ]);
  });

  it('finds both London changes of 2026', () => {
    expect(zoneTransitions('Europe/London', ...year2026).map((t) => t.at.toISOString())).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ]);
  });

  it('finds none in a zone without DST', () => {
    expect(zoneTransitions('Asia/Tokyo', ...year2026)).toEqual([]);
    expect(zoneTransitions('UTC', ...year2026)).toEqual([]);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/London', 'Europe/London'],
    ['europe/london', 'Europe/London'],
    ['US/Eastern', 'America/New_York'],
    ['Nowhere/Special', null],
  ])('%s → %s', (zone, canonical) => {
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });

  it('keeps one cache entry per zone whatever casing clients send', () => {
    canonicalTimeZone('Asia/Tokyo');
    const before = cachedTimeZoneCount();
    for (let i = 0; i < 256; i++) {
      const casing = [...'asia/tokyo'].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('');
      expect(canonicalTimeZone(casing)).toBe('Asia/Tokyo');
    }
    expect(cachedTimeZoneCount()).toBe(before);
  });
});
