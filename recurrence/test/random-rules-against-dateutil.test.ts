/**
 * Randomly drawn series compared with python-dateutil's RRULE engine, an independent implementation: the table
 * of dst-against-dateutil.test.ts holds the cases we thought of, this draws the ones we did not. Each series is a
 * zone (with and without DST, a 30-minute shift, the southern hemisphere), a wall-clock start anywhere in
 * 2026–2029 and a rule drawn from the grammar we accept: every frequency but HOURLY (whose meaning across a DST
 * change the RFC leaves to the implementation), INTERVAL, BYDAY with and without ordinals, BYMONTHDAY (negative
 * too), BYMONTH, BYYEARDAY, BYWEEKNO, BYSETPOS, BYHOUR/BYMINUTE, WKST, and COUNT or UNTIL.
 *
 * dateutil's first occurrence is the series' start (DTSTART is the first instance, as a task's due date is), and
 * dateutil expands in local wall-clock time; the script turns each local time into an instant by RFC 5545
 * §3.3.5 (below). Our side completes task after task, as the API does. The draw is seeded:
 * RRULE_SEED=<n> (and RRULE_SERIES=<count>) explore other draws; a failure prints its series to replay.
 */
import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
import { describe, expect, it } from 'vitest';
import { parseRecurrenceRule } from '../src/rrule-validation.js';
import { parseSeriesAnchor } from '../src/series-anchor.js';
import { dueDatesOfSeries } from '../src/testing/index.js';
import { zonedWallClockToInstant } from '../src/time-zone.js';

const SEED = Number(process.env.RRULE_SEED ?? 20261129);
const SERIES = Number(process.env.RRULE_SERIES ?? 400);
/** Occurrences compared per series. */
const LIMIT = 12;

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
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** mulberry32: a small seeded generator, so a draw is the same on every machine. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const chance = (p: number) => next() < p;
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const some = <T>(xs: readonly T[], most: number): T[] => {
    const chosen = new Set<T>();
    const n = int(1, most);
    while (chosen.size < n) chosen.add(pick(xs));
    return [...chosen];
  };
  return { int, chance, pick, some };
}

interface Draw {
  zone: string;
  /** A wall-clock time to start looking from; dateutil's first occurrence from it is the series' start. */
  from: string;
  rule: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function drawSeries(count: number, seed: number): Draw[] {
  const g = generator(seed);
  const draws: Draw[] = [];
  for (let i = 0; i < count; i++) {
    const freq = g.pick(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
    const parts = [`FREQ=${freq}`];
    if (g.chance(0.35)) parts.push(`INTERVAL=${g.int(2, 4)}`);
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
    if (end === 1) parts.push(`COUNT=${g.int(1, LIMIT + 2)}`);
    if (end === 2) {
      const until = new Date(Date.UTC(year, month - 1, day + g.int(0, 400), g.int(0, 23), minute));
      const stamp = `${until.getUTCFullYear()}${pad(until.getUTCMonth() + 1)}${pad(until.getUTCDate())}T${pad(until.getUTCHours())}${pad(until.getUTCMinutes())}00`;
      parts.push(`UNTIL=${stamp}`);
    }
    draws.push({ zone: g.pick(ZONES), from, rule: parts.join(';') });
  }
  return draws;
}

// Local times become instants through Python's zoneinfo: with fold=0 (PEP 495) a time skipped by a gap takes
// the offset before it, so it moves forward by the gap, and a repeated time is its first instant (RFC 5545
// §3.3.5). Not dateutil.tz: it ignores the rule string at the end of a zone file and so knows no DST after
// 2037, the last year the files list.
const EXPAND = `
import itertools, json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from dateutil import rrule

def instant(local, zone):
    return local.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')

result = []
for draw in json.load(sys.stdin):
    zone = ZoneInfo(draw['zone'])
    unbounded = ';'.join(p for p in draw['rule'].split(';') if not p.startswith(('COUNT=', 'UNTIL=')))
    first = next(iter(rrule.rrulestr(unbounded, dtstart=datetime.fromisoformat(draw['from']))), None)
    if first is None:
        result.append(None)
        continue
    locals_ = list(itertools.islice(rrule.rrulestr(draw['rule'], dtstart=first), ${LIMIT}))
    result.append({'start': first.isoformat(), 'instants': [instant(l, zone) for l in locals_]})
json.dump(result, sys.stdout)
`;

interface Expanded {
  start: string;
  instants: string[];
}

function expandWithDateutil(draws: readonly Draw[]): (Expanded | null)[] {
  const output = execFileSync(pythonTools().python, ['-c', EXPAND], {
    input: JSON.stringify(draws),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString()) as (Expanded | null)[];
}

function completeRepeatedly(zone: string, start: string, rule: string): string[] {
  const first = zonedWallClockToInstant(parseSeriesAnchor(start)!, zone).toISOString();
  return dueDatesOfSeries({ dueAt: first, timeZone: zone, rule, seriesStart: start }, LIMIT);
}

describe(`${SERIES} random series (seed ${SEED}) agree with python-dateutil`, () => {
  const draws = drawSeries(SERIES, SEED);
  const accepted = draws.filter((d) => parseRecurrenceRule(d.rule).ok);
  const expanded = expandWithDateutil(accepted);
  const cases = accepted.flatMap((draw, i) => {
    const e = expanded[i];
    // A rule with no occurrence at all from its start (dateutil finds none) has nothing to compare.
    return e && e.instants.length > 0 ? [{ ...draw, ...e }] : [];
  });

  it('draws rules the API accepts, nearly all of them with occurrences', () => {
    // The generator keeps to the accepted grammar; a refusal here means the validator or the generator moved.
    expect(accepted.length).toBeGreaterThanOrEqual(SERIES * 0.9);
    expect(cases.length).toBeGreaterThanOrEqual(SERIES * 0.85);
  });

  it('gives every series the occurrences dateutil gives, completion after completion', () => {
    const differing = cases.flatMap((c) => {
      const ours = completeRepeatedly(c.zone, c.start, c.rule);
      return JSON.stringify(ours) === JSON.stringify(c.instants)
        ? []
        : [{ zone: c.zone, start: c.start, rule: c.rule, dateutil: c.instants, ours }];
    });
    expect(differing.slice(0, 5), `${differing.length} of ${cases.length} series differ`).toEqual([]);
  });
});
