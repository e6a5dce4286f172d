/**
 * Random recurring series for tests that compare us with independent RFC 5545 engines: a zone (with and
 * without DST, a 30-minute shift, the southern hemisphere), a wall-clock time to start looking from anywhere in
 * 2026–2029 (half of them in the small hours, where DST changes happen) and a rule drawn from the grammar we
 * accept: every frequency (HOURLY only in zones without DST, since across a DST change its meaning is left to
 * the implementation), INTERVAL, BYDAY with and without ordinals, BYMONTHDAY (negative too), BYMONTH,
 * BYYEARDAY, BYWEEKNO, BYSETPOS, BYHOUR/BYMINUTE written in any order, WKST, and COUNT (1–14) or a local UNTIL.
 * Seeded: the same draw on every machine.
 */

import { seededRandom } from './seeded-random.js';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Pacific/Auckland',
  'UTC',
];
const STEADY_ZONES = ['UTC', 'Asia/Kolkata', 'Asia/Tokyo'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface RandomSeries {
  zone: string;
  /** A wall-clock time to start looking from; dateutil's first occurrence from it is the series' start. */
  from: string;
  rule: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function drawRandomSeries(count: number, seed: number): RandomSeries[] {
  const g = seededRandom(seed);
  const draws: RandomSeries[] = [];
  for (let i = 0; i < count; i++) {
    const freq = g.pick(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
    const parts = [`FREQ=${freq}`];
    const interval = g.chance(0.35) ? g.int(2, freq === 'HOURLY' ? 7 : 4) : 1;
    if (interval > 1) parts.push(`INTERVAL=${interval}`);
    // Every BYHOUR is reachable with INTERVAL=1 (an unreachable one never matches, and dateutil would search
    // for ever); BYDAY and BYMONTH thin out the hours.
    if (freq === 'HOURLY' && interval === 1 && g.chance(0.4)) {
      parts.push(`BYHOUR=${g.some([0, 6, 9, 12, 17, 23], 3).join(',')}`);
    }
    if (freq === 'HOURLY' && g.chance(0.2)) parts.push(`BYDAY=${g.some(DAYS, 2).join(',')}`);
    const ordinal = () => g.pick([1, 2, 3, 4, -1, -2]);
    if (freq === 'WEEKLY' && g.chance(0.6)) parts.push(`BYDAY=${g.some(DAYS, 3).join(',')}`);
    if (freq === 'MONTHLY') {
      const kind = g.int(0, 3);
      if (kind === 1) parts.push(`BYMONTHDAY=${g.some([1, 5, 15, 28, 29, 30, 31, -1, -2], 2).join(',')}`);
      if (kind === 2) parts.push(`BYDAY=${ordinal()}${g.pick(DAYS)}`);
      if (kind === 3) {
        parts.push(`BYDAY=${g.some(['MO', 'TU', 'WE', 'TH', 'FR'], 5).join(',')}`);
        parts.push(`BYSETPOS=${g.pick([1, -1, 2])}`);
      }
    }
    if (freq === 'YEARLY') {
      const kind = g.int(0, 4);
      if (kind === 1) parts.push(`BYMONTH=${g.some([1, 2, 3, 6, 10, 11, 12], 2).join(',')}`);
      if (kind === 2) parts.push(`BYMONTH=${g.int(1, 12)};BYDAY=${ordinal()}${g.pick(DAYS)}`);
      if (kind === 3) parts.push(`BYYEARDAY=${g.pick([1, 60, 100, 200, 365, -1])}`);
      if (kind === 4) parts.push(`BYWEEKNO=${g.pick([1, 10, 20, 52])};BYDAY=${g.pick(DAYS)}`);
    }
    if (freq === 'DAILY' && g.chance(0.25)) parts.push(`BYMONTH=${g.some([1, 3, 4, 10, 11], 2).join(',')}`);
    if (freq === 'DAILY' && g.chance(0.2)) parts.push(`BYHOUR=${g.some([1, 2, 3, 9, 18], 2).join(',')}`);
    if (freq === 'WEEKLY' && g.chance(0.15)) parts.push(`WKST=${g.pick(['SU', 'MO', 'SA'])}`);
    if (g.chance(0.1)) parts.push(`BYMINUTE=${g.some([0, 15, 30, 45], 2).join(',')}`);
    const year = g.int(2026, 2029);
    const month = g.int(1, 12);
    const day = g.int(1, 28);
    // Times around the small hours, where DST changes happen, half of the time.
    const hour = g.chance(0.5) ? g.int(0, 3) : g.int(0, 23);
    const minute = g.pick([0, 15, 30, 45]);
    const from = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00`;
    const end = g.int(0, 3);
    if (end === 1) parts.push(`COUNT=${g.int(1, 14)}`);
    if (end === 2) {
      const until = new Date(Date.UTC(year, month - 1, day + g.int(0, 400), g.int(0, 23), minute));
      const stamp = `${until.getUTCFullYear()}${pad(until.getUTCMonth() + 1)}${pad(until.getUTCDate())}T${pad(until.getUTCHours())}${pad(until.getUTCMinutes())}00`;
      parts.push(`UNTIL=${stamp}`);
    }
    // HOURLY only where the clock never changes: across a DST change its meaning is the implementation's.
    const zone = freq === 'HOURLY' ? g.pick(STEADY_ZONES) : g.pick(ZONES);
    draws.push({ zone, from, rule: parts.join(';') });
  }
  return draws;
}
