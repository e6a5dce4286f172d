/**
 * Series across DST changes, compared with python-dateutil's RRULE engine (an independent implementation run
 * from the prepared tools' venv). dateutil expands the rule in local wall-clock time; the script turns each
 * local time into an instant by RFC 5545 §3.3.5: a time skipped by a gap moves forward by the gap, a
 * repeated time is the first (earlier) instant. Our side completes task after task, as the API does.
 */
import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
import { describe, expect, it } from 'vitest';
import { parseSeriesAnchor } from '../src/series-anchor.js';
import { dueDatesOfSeries } from '../src/testing/index.js';
import { zonedWallClockToInstant } from '../src/time-zone.js';

interface Series {
  zone: string;
  /** DTSTART as local wall-clock time. */
  start: string;
  rule: string;
}

/** At most this many occurrences per series; enough to cross each change and settle after it. */
const LIMIT = 10;

const EXPAND = `
import itertools, json, sys
from datetime import datetime, timezone
from dateutil import rrule, tz

result = []
for series in json.load(sys.stdin):
    zone = tz.gettz(series['zone'])
    start = datetime.fromisoformat(series['start'])
    instants = []
    for local in itertools.islice(rrule.rrulestr(series['rule'], dtstart=start), ${LIMIT}):
        aware = local.replace(tzinfo=zone)
        if not tz.datetime_exists(aware):
            aware = tz.resolve_imaginary(aware)
        instants.append(aware.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z'))
    result.append(instants)
json.dump(result, sys.stdout)
`;

function expandWithDateutil(series: readonly Series[]): string[][] {
  const output = execFileSync(pythonTools().python, ['-c', EXPAND], { input: JSON.stringify(series) });
  return JSON.parse(output.toString()) as string[][];
}

function completeRepeatedly(series: Series): string[] {
  const first = zonedWallClockToInstant(parseSeriesAnchor(series.start)!, series.zone).toISOString();
  return dueDatesOfSeries(
    { dueAt: first, timeZone: series.zone, rule: series.rule, seriesStart: series.start },
    LIMIT,
  );
}

/** Local times inside each zone's 2027 gap (spring forward) and overlap (fall back), daily, weekly, monthly. */
const table: [string, Series][] = [
  // New York: 14 March 02:00 → 03:00; 7 November 02:00 → 01:00.
  ['New York gap, daily', { zone: 'America/New_York', start: '2027-03-12T02:30:00', rule: 'FREQ=DAILY' }],
  ['New York gap, weekly', { zone: 'America/New_York', start: '2027-02-28T02:30:00', rule: 'FREQ=WEEKLY' }],
  ['New York gap, monthly', { zone: 'America/New_York', start: '2027-01-14T02:30:00', rule: 'FREQ=MONTHLY' }],
  [
    'New York gap, every 2 hours',
    { zone: 'America/New_York', start: '2027-03-13T22:30:00', rule: 'FREQ=HOURLY;INTERVAL=2' },
  ],
  ['New York overlap, daily', { zone: 'America/New_York', start: '2027-11-05T01:30:00', rule: 'FREQ=DAILY' }],
  [
    'New York overlap, weekly',
    { zone: 'America/New_York', start: '2027-10-24T01:30:00', rule: 'FREQ=WEEKLY;BYDAY=SU' },
  ],
  [
    'New York overlap, monthly',
    { zone: 'America/New_York', start: '2027-09-07T01:30:00', rule: 'FREQ=MONTHLY;BYMONTHDAY=7' },
  ],
  [
    'New York gap, COUNT ending just after it',
    { zone: 'America/New_York', start: '2027-03-12T02:30:00', rule: 'FREQ=DAILY;COUNT=4' },
  ],
  [
    'New York gap, COUNT ending on it',
    { zone: 'America/New_York', start: '2027-03-12T02:30:00', rule: 'FREQ=DAILY;COUNT=3' },
  ],
  [
    'New York gap, UNTIL two days after it',
    { zone: 'America/New_York', start: '2027-03-12T02:30:00', rule: 'FREQ=DAILY;UNTIL=20270316T023000' },
  ],
  [
    'New York gap, UNTIL at the skipped time itself',
    { zone: 'America/New_York', start: '2027-03-12T02:30:00', rule: 'FREQ=DAILY;UNTIL=20270314T023000' },
  ],
  [
    'New York overlap, UNTIL at the repeated time',
    { zone: 'America/New_York', start: '2027-11-05T01:30:00', rule: 'FREQ=DAILY;UNTIL=20271107T013000' },
  ],
  // London: 28 March 01:00 → 02:00; 31 October 02:00 → 01:00.
  ['London gap, daily', { zone: 'Europe/London', start: '2027-03-26T01:30:00', rule: 'FREQ=DAILY' }],
  ['London gap, weekly', { zone: 'Europe/London', start: '2027-03-07T01:30:00', rule: 'FREQ=WEEKLY' }],
  [
    'London gap, monthly on the last Sunday',
    { zone: 'Europe/London', start: '2027-01-31T01:30:00', rule: 'FREQ=MONTHLY;BYDAY=-1SU' },
  ],
  ['London overlap, daily', { zone: 'Europe/London', start: '2027-10-29T01:30:00', rule: 'FREQ=DAILY' }],
  ['London overlap, weekly', { zone: 'Europe/London', start: '2027-10-17T01:30:00', rule: 'FREQ=WEEKLY' }],
  ['London gap, COUNT', { zone: 'Europe/London', start: '2027-03-26T01:30:00', rule: 'FREQ=DAILY;COUNT=5' }],
  [
    'London gap, UNTIL',
    { zone: 'Europe/London', start: '2027-03-26T01:30:00', rule: 'FREQ=DAILY;UNTIL=20270329T013000' },
  ],
  // Sydney: 3 October 02:00 → 03:00; 4 April 03:00 → 02:00.
  ['Sydney gap, daily', { zone: 'Australia/Sydney', start: '2027-10-01T02:30:00', rule: 'FREQ=DAILY' }],
  ['Sydney gap, weekly', { zone: 'Australia/Sydney', start: '2027-09-19T02:30:00', rule: 'FREQ=WEEKLY' }],
  ['Sydney gap, monthly', { zone: 'Australia/Sydney', start: '2027-07-03T02:30:00', rule: 'FREQ=MONTHLY' }],
  ['Sydney overlap, daily', { zone: 'Australia/Sydney', start: '2027-04-02T02:30:00', rule: 'FREQ=DAILY' }],
  ['Sydney overlap, weekly', { zone: 'Australia/Sydney', start: '2027-03-21T02:30:00', rule: 'FREQ=WEEKLY' }],
  [
    'Sydney gap, UNTIL',
    { zone: 'Australia/Sydney', start: '2027-10-01T02:30:00', rule: 'FREQ=DAILY;UNTIL=20271005T023000' },
  ],
  // Lord Howe shifts by 30 minutes: 3 October 02:00 → 02:30; 4 April 02:00 → 01:30.
  ['Lord Howe gap, daily', { zone: 'Australia/Lord_Howe', start: '2027-10-01T02:15:00', rule: 'FREQ=DAILY' }],
  [
    'Lord Howe gap, weekly',
    { zone: 'Australia/Lord_Howe', start: '2027-09-12T02:15:00', rule: 'FREQ=WEEKLY' },
  ],
  [
    'Lord Howe gap, monthly',
    { zone: 'Australia/Lord_Howe', start: '2027-08-03T02:15:00', rule: 'FREQ=MONTHLY' },
  ],
  [
    'Lord Howe overlap, daily',
    { zone: 'Australia/Lord_Howe', start: '2027-04-02T01:45:00', rule: 'FREQ=DAILY' },
  ],
  [
    'Lord Howe overlap, weekly',
    { zone: 'Australia/Lord_Howe', start: '2027-03-21T01:45:00', rule: 'FREQ=WEEKLY' },
  ],
  [
    'Lord Howe gap, COUNT',
    { zone: 'Australia/Lord_Howe', start: '2027-10-01T02:15:00', rule: 'FREQ=DAILY;COUNT=4' },
  ],
  [
    'Lord Howe gap, UNTIL',
    { zone: 'Australia/Lord_Howe', start: '2027-10-01T02:15:00', rule: 'FREQ=DAILY;UNTIL=20271004T021500' },
  ],
];

describe('series across DST changes agree with python-dateutil', () => {
  const expected = expandWithDateutil(table.map(([, series]) => series));

  it.each(table.map(([name, series], i) => [name, series, expected[i]!] as const))(
    '%s',
    (_name, series, dateutil) => {
      expect(dateutil.length).toBeGreaterThan(1);
      expect(completeRepeatedly(series)).toEqual(dateutil);
    },
  );
});
