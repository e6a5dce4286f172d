import { describe, expect, it } from 'vitest';
import { type CalendarOptions, type CalendarTask, renderCalendar } from './ics.js';

const now = new Date('2026-03-01T12:00:00Z');
const options: CalendarOptions = { calendarName: 'Tasks', now };

function task(overrides: Partial<CalendarTask> = {}): CalendarTask {
  return {
    id: '7f1c2a9e-0000-4000-8000-000000000001',
    title: 'Water the plants',
    description: '',
    completed: false,
    completedAt: null,
    priority: 'none',
    tags: [],
    dueAt: '2026-03-28T09:00:00Z',
    timeZone: 'UTC',
    reminders: [],
    recurrence: null,
    createdAt: '2026-02-01T10:00:00Z',
    updatedAt: '2026-02-02T10:00:00Z',
    ...overrides,
  };
}

/** The logical content lines: folding undone, CRLF split. */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n').slice(0, -1);
}

/** The lines of the first component of `kind` in the feed. */
function component(ics: string, kind = 'VEVENT'): string[] {
  const lines = contentLines(ics);
  return lines.slice(lines.indexOf(`BEGIN:${kind}`), lines.indexOf(`END:${kind}`) + 1);
}

describe('renderCalendar', () => {
  it('renders a dated UTC task as a VEVENT in a VCALENDAR', () => {
    expect(renderCalendar([task()], options)).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//todo.dev//Todo API//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'NAME:Tasks',
        'X-WR-CALNAME:Tasks',
        'BEGIN:VEVENT',
        'UID:7f1c2a9e-0000-4000-8000-000000000001@todo',
        'DTSTAMP:20260301T120000Z',
        'CREATED:20260201T100000Z',
        'LAST-MODIFIED:20260202T100000Z',
        'DTSTART:20260328T090000Z',
        'SUMMARY:Water the plants',
        'PRIORITY:0',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('uses CRLF for every line and no bare LF', () => {
    const ics = renderCalendar([task({ description: 'one\ntwo' })], options);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('leaves out tasks without a due date', () => {
    expect(contentLines(renderCalendar([task({ dueAt: null })], options))).not.toContain('BEGIN:VEVENT');
  });

  it('renders a recurring task in Europe/London in local time with its RRULE and a VTIMEZONE', () => {
    const london = task({
      dueAt: '2026-03-28T09:00:00Z',
      timeZone: 'Europe/London',
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SA', from: 'due' },
    });
    const ics = renderCalendar([london], options);
    expect(component(ics)).toEqual(
      expect.arrayContaining(['DTSTART;TZID=Europe/London:20260328T090000', 'RRULE:FREQ=WEEKLY;BYDAY=SA']),
    );
    expect(component(ics, 'VTIMEZONE')).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Europe/London',
      'BEGIN:DAYLIGHT',
      'DTSTART:20250330T010000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'TZOFFSETFROM:+0000',
      'TZOFFSETTO:+0100',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:20251026T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0000',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('writes one VTIMEZONE per zone, before the components', () => {
    const newYork = { timeZone: 'America/New_York', dueAt: '2026-07-01T13:00:00Z' };
    const lines = contentLines(renderCalendar([task(newYork), task({ ...newYork, id: 'b' })], options));
    expect(lines.filter((line) => line === 'TZID:America/New_York')).toHaveLength(1);
    expect(lines.indexOf('END:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines).toContain('DTSTART;TZID=America/New_York:20260701T090000');
  });

  it('names zones canonically in TZID', () => {
    const lines = component(renderCalendar([task({ timeZone: 'europe/london' })], options));
    expect(lines).toContain('DTSTART;TZID=Europe/London:20260328T090000');
  });

  it('renders a task in an unknown zone in UTC', () => {
    const lines = component(renderCalendar([task({ timeZone: 'Mars/Olympus' })], options));
    expect(lines).toContain('DTSTART:20260328T090000Z');
  });

  it.each([
    ['commas, semicolons and backslashes', 'Milk, eggs; C:\\tmp', 'SUMMARY:Milk\\, eggs\\; C:\\\\tmp'],
    ['newlines', 'line one\nline two', 'SUMMARY:line one\\nline two'],
  ])('escapes %s in the summary', (_name, title, line) => {
    expect(component(renderCalendar([task({ title })], options))).toContain(line);
  });

  it('cannot be made to start a component from a title', () => {
    const title = 'x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected';
    const lines = contentLines(renderCalendar([task({ title, description: title })], options));
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((line) => line === 'END:VEVENT')).toHaveLength(1);
    expect(lines).toContain('SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected');
  });

  it('folds long UTF-8 summaries at 75 octets without splitting characters', () => {
    const title = `Réunion 日本語 🎉 ${'très long titre '.repeat(12)}`;
    const ics = renderCalendar([task({ title })], options);
    for (const physical of ics.split('\r\n')) {
      expect(new TextEncoder().encode(physical).length).toBeLessThanOrEqual(75);
    }
    expect(contentLines(ics)).toContain(`SUMMARY:${title}`);
  });

  it('includes the description, escaped, only when there is one', () => {
    expect(component(renderCalendar([task({ description: 'Use rain water, not tap' })], options))).toContain(
      'DESCRIPTION:Use rain water\\, not tap',
    );
    expect(component(renderCalendar([task()], options)).some((l) => l.startsWith('DESCRIPTION'))).toBe(false);
  });

  it.each([
    ['urgent', 1],
    ['high', 3],
    ['medium', 5],
    ['low', 7],
    ['none', 0],
  ] as const)('maps priority %s to PRIORITY:%i', (priority, value) => {
    expect(component(renderCalendar([task({ priority })], options))).toContain(`PRIORITY:${value}`);
  });

  it('lists tags as CATEGORIES, each escaped', () => {
    const lines = component(renderCalendar([task({ tags: ['home', 'a,b'] })], options));
    expect(lines).toContain('CATEGORIES:home,a\\,b');
  });

  it('turns reminders into VALARMs with relative or absolute triggers', () => {
    const reminders = [{ before: 'PT15M' }, { before: 'PT1H30S' }, { remindAt: '2026-03-27T18:00:00+01:00' }];
    const lines = component(renderCalendar([task({ reminders })], options));
    expect(lines.filter((line) => line === 'BEGIN:VALARM')).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        'ACTION:DISPLAY',
        'DESCRIPTION:Water the plants',
        'TRIGGER:-PT15M',
        'TRIGGER:-PT1H0M30S',
        'TRIGGER;VALUE=DATE-TIME:20260327T170000Z',
      ]),
    );
  });

  describe('as VTODO', () => {
    const todo = { ...options, component: 'VTODO' as const };

    it('states DUE and NEEDS-ACTION for an open task', () => {
      const lines = component(renderCalendar([task({ timeZone: 'Europe/London' })], todo), 'VTODO');
      expect(lines).toEqual(
        expect.arrayContaining([
          'DTSTART;TZID=Europe/London:20260328T090000',
          'DUE;TZID=Europe/London:20260328T090000',
          'STATUS:NEEDS-ACTION',
        ]),
      );
      expect(lines).not.toContain('TRANSP:TRANSPARENT');
    });

    it('states COMPLETED with its time for a done task', () => {
      const done = task({ completed: true, completedAt: '2026-03-28T10:15:00Z' });
      const lines = component(renderCalendar([done], todo), 'VTODO');
      expect(lines).toEqual(expect.arrayContaining(['STATUS:COMPLETED', 'COMPLETED:20260328T101500Z']));
    });
  });

  describe('recurrence in the feed', () => {
    const rruleOf = (overrides: Partial<CalendarTask>) =>
      component(renderCalendar([task(overrides)], options)).find((line) => line.startsWith('RRULE:')) ?? null;

    it.each([
      [
        'COUNT counts what is left from this occurrence',
        { recurrence: { rule: 'FREQ=DAILY;COUNT=5', from: 'due' }, occurrence: 3 },
        'RRULE:FREQ=DAILY;COUNT=3',
      ],
      [
        'a local UNTIL is written in UTC, as a TZID start requires',
        {
          timeZone: 'America/New_York',
          recurrence: { rule: 'FREQ=DAILY;UNTIL=20260430T090000', from: 'due' },
        },
        'RRULE:FREQ=DAILY;UNTIL=20260430T130000Z',
      ],
      [
        'no RRULE once the task is completed',
        { recurrence: { rule: 'FREQ=DAILY', from: 'due' }, completed: true },
        null,
      ],
      [
        'no RRULE when dates depend on completion',
        { recurrence: { rule: 'FREQ=DAILY', from: 'completion' } },
        null,
      ],
      [
        'no RRULE when the series is used up',
        { recurrence: { rule: 'FREQ=DAILY;COUNT=2', from: 'due' }, occurrence: 3 },
        null,
      ],
    ] as [string, Partial<CalendarTask>, string | null][])('%s', (_name, overrides, expected) => {
      expect(rruleOf(overrides)).toBe(expected);
    });
  });
});
