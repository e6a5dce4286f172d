/**
 * Randomly drawn series (src/testing/random-series.ts) compared with python-dateutil's RRULE engine, an
 * independent implementation: the table of dst-against-dateutil.test.ts holds the cases we thought of, this draws
 * the ones we did not.
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
import { drawRandomSeries, dueDatesOfSeries, type RandomSeries } from '../src/testing/index.js';
import { zonedWallClockToInstant } from '../src/time-zone.js';

const SEED = Number(process.env.RRULE_SEED ?? 20261129);
const SERIES = Number(process.env.RRULE_SERIES ?? 400);
/** Occurrences compared per series. */
const LIMIT = 12;

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

function expandWithDateutil(draws: readonly RandomSeries[]): (Expanded | null)[] {
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
  const draws = drawRandomSeries(SERIES, SEED);
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
