import { describe, expect, it } from 'vitest';
import { findDate } from './chrono-dates.js';
import { parseQuickAdd } from './parse-quick-add.js';

// Wednesday 2026-11-25 08:00 UTC. Dates are read in the zone passed in, whatever the runtime's zone.
const now = new Date('2026-11-25T08:00:00Z');
const parse = (text: string) => parseQuickAdd(text, { now, timeZone: 'UTC', findDate });

describe('quick add', () => {
  it('reads title, monthly recurrence, time, tag and priority from one sentence', () => {
    const draft = parse('Pay rent every month on the 1st at 9am #home !high');
    expect(draft).toEqual({
      title: 'Pay rent',
      tags: ['home'],
      priority: 'high',
      dueAt: '2026-12-01T09:00:00.000Z',
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' },
      recurrenceSummary: 'every month on the 1st',
      projectName: null,
      reminders: [],
      phrases: [
        { kind: 'recurrence', text: 'every month on the 1st' },
        { kind: 'date', text: 'at 9am' },
        { kind: 'tag', text: '#home' },
        { kind: 'priority', text: '!high' },
      ],
    });
  });

  it('schedules "every weekday" on the next working day still ahead', () => {
    const draft = parse('Stand-up every weekday at 7am');
    expect(draft.title).toBe('Stand-up');
    expect(draft.recurrence?.rule).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(draft.dueAt).toBe('2026-11-26T07:00:00.000Z');
    expect(draft.recurrenceSummary).toBe('every weekday');
  });

  it('reads an interval with several weekdays', () => {
    const draft = parse('Gym every 2 weeks on mon and wed #health');
    expect(draft.title).toBe('Gym');
    expect(draft.recurrence?.rule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE');
    expect(draft.recurrenceSummary).toBe('every 2 weeks on Monday and Wednesday');
    expect(draft.dueAt).toBe('2026-11-25T09:00:00.000Z');
    expect(draft.tags).toEqual(['health']);
  });

  it('takes a plain date from chrono and defaults the time of day to 09:00', () => {
    const draft = parse('Renew passport tomorrow !urgent');
    expect(draft).toMatchObject({
      title: 'Renew passport',
      priority: 'urgent',
      dueAt: '2026-11-26T09:00:00.000Z',
    });
    expect(draft.recurrence).toBeNull();
  });

  it('keeps an explicit day and time', () => {
    expect(parse('Call the bank on Friday at 3pm').dueAt).toBe('2026-11-27T15:00:00.000Z');
  });

  it('converts the wall time in the user zone to an instant', () => {
    const draft = parseQuickAdd('Dentist tomorrow at 10am', { now, timeZone: 'UTC', findDate });
    const inParis = parseQuickAdd('Dentist every day at 10am', { now, timeZone: 'Europe/Paris', findDate });
    expect(draft.dueAt).toBe('2026-11-26T10:00:00.000Z');
    expect(inParis.dueAt).toBe('2026-11-25T09:00:00.000Z');
  });

  it('reads "tomorrow" as the user\'s tomorrow, whatever zone the process runs in', () => {
    // 23:30 UTC on Wednesday is already 12:30 on Thursday in Auckland (UTC+13): tomorrow is Friday there.
    const late = new Date('2026-11-25T23:30:00Z');
    const draft = parseQuickAdd('Dentist tomorrow at 10am', {
      now: late,
      timeZone: 'Pacific/Auckland',
      findDate,
    });
    expect(draft.dueAt).toBe('2026-11-26T21:00:00.000Z');
  });

  it('leaves a line without dates, tags or priority as just a title', () => {
    expect(parse('Water the plants')).toEqual({
      title: 'Water the plants',
      tags: [],
      priority: null,
      dueAt: null,
      recurrence: null,
      recurrenceSummary: null,
      projectName: null,
      reminders: [],
      phrases: [],
    });
  });

  it('lower-cases and de-duplicates tags, and the last priority wins', () => {
    const draft = parse('Plan trip #Travel #travel #family !low !high');
    expect(draft).toMatchObject({ title: 'Plan trip', tags: ['travel', 'family'], priority: 'high' });
  });

  it('still parses tags, priority and recurrence before the date parser has loaded', () => {
    const draft = parseQuickAdd('Review budget every month on the last day #money !medium', {
      now,
      timeZone: 'UTC',
    });
    expect(draft).toMatchObject({
      title: 'Review budget',
      tags: ['money'],
      priority: 'medium',
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'due' },
      dueAt: '2026-11-30T09:00:00.000Z',
    });
  });

  it('does not mistake a hash or bang inside a word for a tag or priority', () => {
    expect(parse('Fix C# build!high')).toMatchObject({
      title: 'Fix C# build!high',
      tags: [],
      priority: null,
    });
  });
});

describe('quick add with a part of the day', () => {
  it('takes "evening" as the time of a weekly task', () => {
    const draft = parse('Take out the trash every thursday evening #home');
    expect(draft).toMatchObject({
      title: 'Take out the trash',
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=TH' },
    });
    expect(new Date(draft.dueAt!).getUTCHours()).toBeGreaterThanOrEqual(17);
    expect(draft.dueAt!.slice(0, 10)).toBe('2026-11-26');
  });
});
