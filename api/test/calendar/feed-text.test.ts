/**
 * Whatever text a task may hold comes out of the calendar feed as the same text when python-icalendar (an
 * independent RFC 5545 parser, from the prepared venv) reads it: seeded random titles, descriptions and tags
 * built from what escaping and folding must get right (`\ ; , :` quotes, line breaks of every kind, tabs,
 * combining marks, characters of two to four UTF-8 octets, emoji beyond the BMP) at lengths up to the field
 * limits, in VEVENTs and VTODOs; every physical line at most 75 octets. A description's line breaks (CRLF, CR,
 * LF) all come back as LF, the one line break iCalendar TEXT has. (A reader this lenient also takes a comma left
 * unescaped; escaping itself has its table in ics-lines.test.ts.) FEED_TEXT_SEED=<n> draws other texts.
 */
import { execFileSync } from 'node:child_process';
import { description, tag, title } from '@todo/contract';
import { pythonTools } from '@todo/infra';
import { seededRandom } from '@todo/recurrence/testing';
import { describe, expect, it } from 'vitest';
import { type CalendarTask, renderCalendar } from '../../src/calendar/ics.js';

const SEED = Number(process.env.FEED_TEXT_SEED ?? 75);
const TASKS = 300;

const READ = `
import json, sys
import icalendar

calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {}
for component in calendar.walk():
    if component.name not in ('VEVENT', 'VTODO'):
        continue
    categories = component.get('CATEGORIES')
    groups = categories if isinstance(categories, list) else ([categories] if categories is not None else [])
    out[str(component['UID'])] = {
        'title': str(component['SUMMARY']),
        'description': str(component['DESCRIPTION']) if 'DESCRIPTION' in component else '',
        'tags': [str(c) for group in groups for c in group.cats],
    }
json.dump(out, sys.stdout)
`;

/** Pieces of text: each is one character or a short run a writer has to treat with care. */
const PIECES = [
  'a',
  'Z',
  '7',
  ' ',
  ' ',
  ',',
  ';',
  ':',
  '\\',
  '\\n',
  '"',
  "'",
  '=',
  'é',
  'ß',
  'ø',
  '中',
  '文',
  'ع',
  'ב',
  '\u0301',
  '\u200b',
  '€',
  '😀',
  '🧑‍🚀',
  '𝄞',
  '\ud7ff',
  '\ufffd',
  '<b>',
  'BEGIN:VEVENT',
  '%0A',
];
const LINE_BREAKS = ['\n', '\r\n', '\r', '\t'];
const TAG_PIECES = ['a', 'z', '0', '_', '-', '.', '/', ':', '+', 'é', 'ß', '中', 'ع'];

/** Seeded draws, and a string of at most `max` UTF-16 units from the pieces (a long one now and then). */
function generator(seed: number) {
  const random = seededRandom(seed);
  const text = (pieces: readonly string[], max: number) => {
    const target = random.int(0, 9) === 0 ? max : random.int(1, Math.min(max, 120));
    let out = '';
    for (;;) {
      const piece = random.pick(pieces);
      if (out.length + piece.length > target) return out;
      out += piece;
    }
  };
  return { int: random.int, text };
}

function drawTasks(): CalendarTask[] {
  const g = generator(SEED);
  return Array.from({ length: TASKS }, (_, i) => {
    let t = '';
    while (!title.safeParse(t).success) t = g.text(PIECES, 500);
    const d = g.int(0, 3) === 0 ? '' : g.text([...PIECES, ...LINE_BREAKS], 20_000 / 4);
    const tags = Array.from({ length: g.int(0, 4) }, () => tag.parse(g.text(TAG_PIECES, 40) || 'x'));
    expect(description.safeParse(d).success).toBe(true);
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      title: t,
      description: d,
      completed: g.int(0, 1) === 1,
      completedAt: null,
      priority: 'none',
      tags: [...new Set(tags)],
      dueAt: '2027-05-01T09:00:00.000Z',
      timeZone: 'UTC',
      reminders: [],
      recurrence: null,
      createdAt: '2027-01-01T00:00:00Z',
      updatedAt: '2027-01-01T00:00:00Z',
    };
  });
}

type Read = Record<string, { title: string; description: string; tags: string[] }>;

function readWithIcalendar(ics: string): Read {
  const output = execFileSync(pythonTools().python, ['-c', READ], {
    input: ics,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString()) as Read;
}

describe.each(['VEVENT', 'VTODO'] as const)(
  'random text in %ss of the calendar feed, read by python-icalendar',
  (component) => {
    const tasks = drawTasks();
    const ics = renderCalendar(tasks, {
      calendarName: 'Tasks',
      now: new Date('2027-01-01T00:00:00Z'),
      component,
    });
    const read = readWithIcalendar(ics);

    it('gives back every title, description and tag as written, line breaks as LF', () => {
      const differing = tasks.flatMap((task) => {
        const expected = {
          title: task.title,
          description: task.description.replace(/\r\n|\r/g, '\n'),
          tags: task.tags,
        };
        const got = read[`${task.id}@todo`];
        return JSON.stringify(got) === JSON.stringify(expected) ? [] : [{ expected, got }];
      });
      expect(differing.slice(0, 3), `${differing.length} of ${tasks.length} differ`).toEqual([]);
    });

    it('folds every physical line to at most 75 octets, never inside a character', () => {
      const lines = ics.split('\r\n');
      expect(lines.filter((line) => Buffer.byteLength(line) > 75)).toEqual([]);
      expect(Buffer.from(ics).toString('utf8')).toBe(ics);
    });
  },
);
