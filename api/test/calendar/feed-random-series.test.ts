/**
 * The calendar feed and the API agree on randomly drawn series (`drawRandomSeries`: eleven zones, every
 * frequency with HOURLY only where the clock never changes, BY… parts, COUNT and UNTIL): each series' first task
 * is rendered into a feed of its own, which python-icalendar and recurring-ical-events (independent RFC 5545
 * engines, from the prepared venv) expand, and its occurrences must be the due dates the API gives the task and
 * its successors, completion after completion. feed-series-dst.test.ts holds the DST cases we chose; this draws
 * the ones we did not. FEED_SEED=<n> and FEED_SERIES=<count> explore other draws.
 */
import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
import { firstOccurrence, parseRecurrenceRule, parseSeriesAnchor, seriesAnchorAt } from '@todo/recurrence';
import { drawRandomSeries, dueDatesOfSeries } from '@todo/recurrence/testing';
import { describe, expect, it } from 'vitest';
import { type CalendarTask, renderCalendar } from '../../src/calendar/ics.js';

const SEED = Number(process.env.FEED_SEED ?? 5545);
const SERIES = Number(process.env.FEED_SERIES ?? 200);
/** Occurrences compared per series. */
const LIMIT = 10;

/** Reads {ics, from, until} per series; prints each one's occurrence starts in UTC within [from, until]. */
const EXPAND = `
import json, sys
from datetime import datetime, timezone
import icalendar, recurring_ical_events

result = []
for feed in json.load(sys.stdin):
    calendar = icalendar.Calendar.from_ical(feed['ics'])
    window = [datetime.fromisoformat(feed[k].replace('Z', '+00:00')) for k in ('from', 'until')]
    events = recurring_ical_events.of(calendar).between(*window)
    result.append(sorted(e['DTSTART'].dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z') for e in events))
json.dump(result, sys.stdout)
`;

interface Series {
  zone: string;
  rule: string;
  seriesStart: string;
  /** What the API gives: the first task's due date and its successors'. */
  api: string[];
  ics: string;
}

function series(): Series[] {
  return drawRandomSeries(SERIES, SEED).flatMap((draw, i) => {
    const parsed = parseRecurrenceRule(draw.rule);
    if (!parsed.ok) return [];
    const first = firstOccurrence(parsed.parts, parseSeriesAnchor(draw.from)!, draw.zone, new Date(0));
    if (!first) return [];
    const seriesStart = seriesAnchorAt(first, draw.zone);
    const task: CalendarTask = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      title: draw.rule,
      description: '',
      completed: false,
      completedAt: null,
      priority: 'none',
      tags: [],
      dueAt: first.toISOString(),
      timeZone: draw.zone,
      reminders: [],
      recurrence: { rule: parsed.rule, from: 'due' },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      occurrence: 1,
      seriesStart,
    };
    const api = dueDatesOfSeries(
      { dueAt: task.dueAt!, timeZone: draw.zone, rule: parsed.rule, seriesStart },
      LIMIT,
    );
    const ics = renderCalendar([task], { calendarName: 'Tasks', now: new Date('2026-01-01T00:00:00Z') });
    return [{ zone: draw.zone, rule: parsed.rule, seriesStart, api, ics }];
  });
}

function expandFeeds(all: readonly Series[]): string[][] {
  // Up to the API's last occurrence when it gave LIMIT of them; else the series ended, and the feed's must too.
  const feeds = all.map((s) => ({
    ics: s.ics,
    from: s.api[0]!,
    until:
      s.api.length === LIMIT
        ? new Date(Date.parse(s.api.at(-1)!) + 1000).toISOString()
        : new Date(Date.parse(s.api[0]!) + 80 * 366 * 86_400_000).toISOString(),
  }));
  const output = execFileSync(pythonTools().python, ['-c', EXPAND], {
    input: JSON.stringify(feeds),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString()) as string[][];
}

describe(`the calendar feed of ${SERIES} random series (seed ${SEED}), read by recurring-ical-events`, () => {
  const all = series();
  const expanded = expandFeeds(all);

  it('renders nearly every drawn series', () => {
    expect(all.length).toBeGreaterThanOrEqual(SERIES * 0.85);
  });

  it('gives every series the occurrences the API gives its tasks', () => {
    const differing = all.flatMap((s, i) =>
      JSON.stringify(expanded[i]) === JSON.stringify(s.api)
        ? []
        : [{ zone: s.zone, rule: s.rule, seriesStart: s.seriesStart, feed: expanded[i], api: s.api }],
    );
    expect(differing.slice(0, 5), `${differing.length} of ${all.length} series differ`).toEqual([]);
  });
});
