import { describe, expect, it } from 'vitest';
import { findDate } from './chrono-dates.js';
import { parseQuickAdd, type QuickAddContext } from './parse-quick-add.js';

// Wednesday 2026-11-25 08:00 UTC; every expectation below follows from this `now`, never from today's date.
const now = new Date('2026-11-25T08:00:00Z');
const parse = (text: string, extra: Partial<QuickAddContext> = {}) =>
  parseQuickAdd(text, { now, timeZone: 'UTC', findDate, ...extra });

describe('words that are only sometimes dates', () => {
  it.each([
    ['Buy flowers for May', 'Buy flowers for May'],
    ['Email March about the budget', 'Email March about the budget'],
    ['Call April', 'Call April'],
    ['Sit in the sun', 'Sit in the sun'],
    ['Sat exam results', 'Sat exam results'],
    ['Wed the Smiths', 'Wed the Smiths'],
    ['Appeler mon frère', 'Appeler mon frère'],
    ['Dormir 8h', 'Dormir 8h'],
    ['Réunion 8h salle B', 'Réunion 8h salle B'],
    ['Fix the mar', 'Fix the mar'],
    ['May the best team win', 'May the best team win'],
  ])('keeps %j as title text, without a due date', (text, title) => {
    expect(parse(text)).toMatchObject({ title, dueAt: null, phrases: [] });
  });

  it.each([
    ['Dentist on May 3', 'Dentist', '2027-05-03T09:00:00.000Z'],
    ['Dentist May 3rd at 2pm', 'Dentist', '2027-05-03T14:00:00.000Z'],
    ['Dentist 3 May', 'Dentist', '2027-05-03T09:00:00.000Z'],
    ['Plan the trip in April', 'Plan the trip', '2027-04-01T09:00:00.000Z'],
    ['File taxes by April', 'File taxes', '2027-04-01T09:00:00.000Z'],
    ['Repaint next march', 'Repaint', '2027-03-01T09:00:00.000Z'],
    ['Plant tomatoes next may', 'Plant tomatoes', '2027-05-01T09:00:00.000Z'],
    ['Plant tomatoes this may', 'Plant tomatoes', '2027-05-01T09:00:00.000Z'],
    ['Plant tomatoes by may', 'Plant tomatoes', '2027-05-01T09:00:00.000Z'],
    ['Plant tomatoes mid may', 'Plant tomatoes', '2027-05-15T09:00:00.000Z'],
    ['Visit Rome in June 2027', 'Visit Rome', '2027-06-01T09:00:00.000Z'],
    ['Picnic on sun', 'Picnic', '2026-11-29T09:00:00.000Z'],
    ['Picnic sun 3pm', 'Picnic', '2026-11-29T15:00:00.000Z'],
    ['Picnic next sat', 'Picnic', '2026-12-05T09:00:00.000Z'],
    ['Picnic on Sunday', 'Picnic', '2026-11-29T09:00:00.000Z'],
    ['Picnic Sunday', 'Picnic', '2026-11-29T09:00:00.000Z'],
    ['Check the oven in 8h', 'Check the oven', '2026-11-25T16:00:00.000Z'],
    ['Email March about the report on Friday', 'Email March about the report', '2026-11-27T09:00:00.000Z'],
    ['Buy flowers for May tomorrow', 'Buy flowers for May', '2026-11-26T09:00:00.000Z'],
  ])('reads %j as a date', (text, title, dueAt) => {
    expect(parse(text)).toMatchObject({ title, dueAt });
  });
});

describe('the default time of day', () => {
  it.each([
    ['Renew passport tomorrow', 'UTC', '2026-11-26T09:00:00.000Z'],
    ['Renew passport on Friday', 'Europe/Paris', '2026-11-27T08:00:00.000Z'],
    ['Renew passport in 2 days', 'America/New_York', '2026-11-27T14:00:00.000Z'],
    ['Renew passport on December 1', 'Asia/Tokyo', '2026-12-01T00:00:00.000Z'],
  ])('puts %j (in %s) at 09:00 in the zone', (text, timeZone, dueAt) => {
    expect(parse(text, { timeZone }).dueAt).toBe(dueAt);
  });
});

describe('projects', () => {
  const projects = ['Errands', 'Side project', 'Work'];

  it.each([
    ['Buy milk ~errands', undefined, 'Buy milk', 'errands'],
    ['Buy milk ~errands', projects, 'Buy milk', 'Errands'],
    ['~Work Prepare slides', projects, 'Prepare slides', 'Work'],
    ['Write README ~Side project', projects, 'Write README', 'Side project'],
    ['Buy milk in Errands', projects, 'Buy milk', 'Errands'],
    ['Fix login bug in side project tomorrow', projects, 'Fix login bug', 'Side project'],
    ['Meeting in Paris', projects, 'Meeting in Paris', null],
    ['Buy milk in Errands', undefined, 'Buy milk in Errands', null],
    ['Fix the ~ key', projects, 'Fix the ~ key', null],
  ])('reads %j (projects %j) as title %j in project %j', (text, known, title, projectName) => {
    expect(parse(text, { projects: known })).toMatchObject({ title, projectName });
  });

  it('reads the project beside a date, a tag and a priority', () => {
    expect(parse('Call the plumber tomorrow at 10am ~home #calls !high')).toMatchObject({
      title: 'Call the plumber',
      projectName: 'home',
      tags: ['calls'],
      priority: 'high',
      dueAt: '2026-11-26T10:00:00.000Z',
    });
  });
});

describe('reminders', () => {
  it.each([
    ['Dentist tomorrow at 10am remind me 1 hour before', [{ before: 'PT1H' }]],
    ['Dentist tomorrow at 10am remind me 15 minutes before', [{ before: 'PT15M' }]],
    ['Dentist tomorrow at 10am remind me 30 min before', [{ before: 'PT30M' }]],
    ['Dentist tomorrow at 10am remind me an hour before', [{ before: 'PT1H' }]],
    ['Dentist tomorrow at 10am remind me two hours before', [{ before: 'PT2H' }]],
    ['Dentist tomorrow at 10am remind me 2 days before', [{ before: 'P2D' }]],
    ['Dentist tomorrow at 10am remind me the day before', [{ before: 'P1D' }]],
    ['Dentist tomorrow at 10am remind me a week before', [{ before: 'P7D' }]],
    ['Dentist tomorrow at 10am remind me 1 week before', [{ before: 'P7D' }]],
    ['Dentist tomorrow at 10am remind me at 8am', [{ remindAt: '2026-11-26T08:00:00.000Z' }]],
    ['Dentist tomorrow at 10am remind me at 20:30', [{ remindAt: '2026-11-25T20:30:00.000Z' }]],
    ['Dentist tomorrow at 10am remind at 9', [{ remindAt: '2026-11-26T09:00:00.000Z' }]],
    [
      'Dentist tomorrow at 10am remind me 1 day before and remind me at 8am',
      [{ before: 'P1D' }, { remindAt: '2026-11-26T08:00:00.000Z' }],
    ],
    ['Water plants remind me at 7am', [{ remindAt: '2026-11-26T07:00:00.000Z' }]],
    ['Water plants remind me at 9am', [{ remindAt: '2026-11-25T09:00:00.000Z' }]],
  ])('reads %j', (text, reminders) => {
    const draft = parse(text);
    expect(draft.reminders).toEqual(reminders);
    expect(draft.title).toBe(text.startsWith('Dentist') ? 'Dentist' : 'Water plants');
  });

  it('keeps the due time apart from the reminder time', () => {
    expect(parse('Flight on Friday at 6pm remind me at 2pm')).toMatchObject({
      title: 'Flight',
      dueAt: '2026-11-27T18:00:00.000Z',
      reminders: [{ remindAt: '2026-11-27T14:00:00.000Z' }],
    });
  });

  it('reads "remind me at 8am" in the user zone', () => {
    expect(
      parse('Dentist tomorrow at 10am remind me at 8am', { timeZone: 'Europe/Paris' }).reminders,
    ).toEqual([{ remindAt: '2026-11-26T07:00:00.000Z' }]);
  });

  it.each([
    'Remind me to call Sam',
    'Dentist remind me at 25:00',
    'Dentist remind me at 13pm',
    'Dentist remind me 1 fortnight before',
  ])('leaves %j without a reminder', (text) => {
    expect(parse(text).reminders).toEqual([]);
  });
});

describe('un-parsing a chip', () => {
  it('gives each parsed phrase back to the title when it is marked literal', () => {
    const text = 'Read Macbeth tomorrow #books !low ~reading every week';
    const draft = parse(text);
    expect(draft.phrases.map((p) => p.text)).toEqual([
      'tomorrow',
      '#books',
      '!low',
      '~reading',
      'every week',
    ]);
    const literal = parse(text, { literal: ['tomorrow'] });
    expect(literal).toMatchObject({ title: 'Read Macbeth tomorrow', dueAt: '2026-11-25T09:00:00.000Z' });
    const all = parse(text, { literal: draft.phrases.map((p) => p.text) });
    expect(all).toMatchObject({
      title: text,
      tags: [],
      priority: null,
      projectName: null,
      recurrence: null,
      dueAt: null,
      phrases: [],
    });
  });

  it.each([
    ['Call mom tomorrow at 3pm', 'tomorrow at 3pm', 'Call mom tomorrow at 3pm'],
    ['Buy paint #diy', '#diy', 'Buy paint #diy'],
    ['Fix bug !1', '!1', 'Fix bug !1'],
    ['Pay bills ~home', '~home', 'Pay bills ~home'],
    ['Stretch every day', 'every day', 'Stretch every day'],
    ['Dentist Friday remind me 1 hour before', 'remind me 1 hour before', 'Dentist remind me 1 hour before'],
    ['Meet on May 3', 'on May 3', 'Meet on May 3'],
  ])('keeps %j with %j un-parsed as %j', (text, phrase, title) => {
    expect(parse(text).phrases.map((p) => p.text)).toContain(phrase);
    const draft = parse(text, { literal: [phrase] });
    expect(draft.title).toBe(title);
    expect(draft.phrases.map((p) => p.text)).not.toContain(phrase);
  });
});

describe('month phrases read against other days', () => {
  it.each([
    // now, text, due
    ['2026-03-10T08:00:00Z', 'Plant tomatoes by may', '2026-05-01T09:00:00.000Z'],
    ['2026-03-10T08:00:00Z', 'Plant tomatoes in May', '2026-05-01T09:00:00.000Z'],
    ['2026-05-20T08:00:00Z', 'Plant tomatoes next may', '2027-05-01T09:00:00.000Z'],
    ['2026-06-01T08:00:00Z', 'Plant tomatoes this may', '2027-05-01T09:00:00.000Z'],
    ['2026-03-10T08:00:00Z', 'Buy flowers for May', null],
    ['2026-03-10T08:00:00Z', 'Ask May about the keys on sun', '2026-03-15T09:00:00.000Z'],
  ])('at %s reads %j as due %s', (at, text, dueAt) => {
    expect(parseQuickAdd(text, { now: new Date(at), timeZone: 'UTC', findDate }).dueAt).toBe(dueAt);
  });

  it('puts "remind me at 8pm" on the evening before a task due at 6am', () => {
    expect(parse('Flight tomorrow at 6am remind me at 8pm')).toMatchObject({
      dueAt: '2026-11-26T06:00:00.000Z',
      reminders: [{ remindAt: '2026-11-25T20:00:00.000Z' }],
    });
  });
});
