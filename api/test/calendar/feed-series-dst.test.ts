/**
 * The calendar feed and the API agree on a recurring series across DST changes: the feed is expanded by
 * python-icalendar and recurring-ical-events (independent RFC 5545 engines, run from the prepared venv), and
 * each task's occurrences must be the due dates the API gives its successors.
 */
import { execFileSync } from 'node:child_process';
import { pythonTools } from '@todo/infra';
import { dueDatesOfSeries } from '@todo/recurrence/testing';
import { describe, expect, it } from 'vitest';
import { type CalendarTask, renderCalendar } from '../../src/calendar/ics.js';

const EXPAND = `
import json, sys
from datetime import timezone
import icalendar, recurring_ical_events

calendar = icalendar.Calendar.from_ical(sys.stdin.read())
starts = {}
for event in recurring_ical_events.of(calendar).between((2027, 1, 1), (2027, 12, 31)):
    start = event['DTSTART'].dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    starts.setdefault(str(event['UID']), []).append(start)
json.dump({uid: sorted(times) for uid, times in starts.items()}, sys.stdout)
`;

function expandFeed(ics: string): Record<string, string[]> {
  return JSON.parse(execFileSync(pythonTools().python, ['-c', EXPAND], { input: ics }).toString());
}

interface SeriesCase {
  name: string;
  timeZone: string;
  rule: string;
  /** The task in the feed: perhaps one a DST gap moved, with the anchor of its series. */
  dueAt: string;
  seriesStart: string;
  occurrence?: number;
}

const cases: SeriesCase[] = [
  {
    name: 'New York, the task the spring gap moved to 03:30',
    timeZone: 'America/New_York',
    rule: 'FREQ=DAILY;COUNT=8',
    dueAt: '2027-03-14T07:30:00.000Z',
    seriesStart: '2027-03-12T02:30:00',
    occurrence: 3,
  },
  {
    name: 'New York, the task before the gap, until two days after it',
    timeZone: 'America/New_York',
    rule: 'FREQ=DAILY;UNTIL=20270316T023000',
    dueAt: '2027-03-13T07:30:00.000Z',
    seriesStart: '2027-03-12T02:30:00',
  },
  {
    name: 'Lord Howe, weekly through its 30-minute gap',
    timeZone: 'Australia/Lord_Howe',
    rule: 'FREQ=WEEKLY;COUNT=4',
    dueAt: '2027-09-25T15:45:00.000Z',
    seriesStart: '2027-09-26T02:15:00',
  },
  {
    name: 'London, daily through the autumn overlap',
    timeZone: 'Europe/London',
    rule: 'FREQ=DAILY;COUNT=5',
    dueAt: '2027-10-29T00:30:00.000Z',
    seriesStart: '2027-10-29T01:30:00',
  },
];

function feedTask(c: SeriesCase, index: number): CalendarTask {
  return {
    id: `00000000-0000-4000-8000-00000000000${index}`,
    title: c.name,
    description: '',
    completed: false,
    completedAt: null,
    priority: 'none',
    tags: [],
    dueAt: c.dueAt,
    timeZone: c.timeZone,
    reminders: [],
    recurrence: { rule: c.rule, from: 'due' },
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
    occurrence: c.occurrence ?? 1,
    seriesStart: c.seriesStart,
  };
}

/** The task's due date and its successors', as the API creates them on completion. */
function apiSeries(c: SeriesCase): string[] {
  return dueDatesOfSeries({ ...c, occurrenceIndex: c.occurrence });
}

describe('the calendar feed of a series across DST changes, read by recurring-ical-events', () => {
  const tasks = cases.map(feedTask);
  const expanded = expandFeed(
    renderCalendar(tasks, { calendarName: 'Tasks', now: new Date('2027-01-01T00:00:00Z') }),
  );

  it.each(cases.map((c, i) => [c.name, c, `${tasks[i]!.id}@todo`] as const))('%s', (_name, c, uid) => {
    expect(expanded[uid]).toEqual(apiSeries(c));
  });
});
