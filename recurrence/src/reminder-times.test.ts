import { describe, expect, it } from 'vitest';
import { parseIsoDuration, parseRfc3339, reminderFireTime, validateReminders } from './reminder-times.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it.each([
    ['PT15M', 15 * MINUTE],
    ['PT2H', 2 * HOUR],
    ['PT90S', 90_000],
    ['P1D', DAY],
    ['P1DT2H30M', DAY + 2.5 * HOUR],
    ['P1W', 7 * DAY],
    ['P2W', 14 * DAY],
    ['PT0S', 0],
    ['P366D', 366 * DAY],
    ['PT8784H', 366 * DAY],
  ])('reads %s', (text, milliseconds) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, milliseconds });
  });

  it.each([
    ['negative', '-PT15M', 'must not be negative'],
    ['empty', '', 'ISO 8601 duration'],
    ['a bare P', 'P', 'ISO 8601 duration'],
    ['a dangling T', 'P1DT', 'ISO 8601 duration'],
    ['minutes without T', 'P15M', 'years and months are not supported'],
    ['years', 'P1Y', 'years and months are not supported'],
    ['fractions', 'PT1.5H', 'ISO 8601 duration'],
    ['weeks mixed with days', 'P1W2D', 'ISO 8601 duration'],
    ['lower case', 'pt15m', 'ISO 8601 duration'],
    ['spaces', ' PT15M', 'ISO 8601 duration'],
    ['more than 366 days', 'P367D', 'at most 366 days'],
    ['a huge number', 'PT999999H', 'at most 366 days'],
    ['digits beyond the cap', 'PT9999999999999999999S', 'ISO 8601 duration'],
    ['plain minutes', '15', 'ISO 8601 duration'],
  ])('rejects %s (%j)', (_name, text, message) => {
    const result = parseIsoDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2026-05-01T09:00:00Z', '2026-05-01T09:00:00.000Z'],
    ['2026-05-01T09:00:00.123Z', '2026-05-01T09:00:00.123Z'],
    ['2026-05-01T09:00:00+02:00', '2026-05-01T07:00:00.000Z'],
    ['2026-05-01t09:00:00z', '2026-05-01T09:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30T09:00:00Z',
    '2026-05-01T24:00:00Z',
    '2026-05-01T09:00:00',
    '2026-05-01',
    'tomorrow',
    '',
  ])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });
});

describe('reminderFireTime', () => {
  const due = '2026-05-01T09:00:00Z';
  it.each([
    [
      'an absolute reminder fires at its time',
      { remindAt: '2026-04-30T18:00:00+01:00' },
      due,
      '2026-04-30T17:00:00.000Z',
    ],
    [
      'an absolute reminder needs no due date',
      { remindAt: '2026-04-30T17:00:00Z' },
      null,
      '2026-04-30T17:00:00.000Z',
    ],
    ['a relative reminder fires before the due date', { before: 'PT15M' }, due, '2026-05-01T08:45:00.000Z'],
    ['a week before', { before: 'P1W' }, due, '2026-04-24T09:00:00.000Z'],
    ['at the due time', { before: 'PT0S' }, due, '2026-05-01T09:00:00.000Z'],
    ['a relative reminder without a due date never fires', { before: 'PT15M' }, null, null],
    ['an invalid duration never fires', { before: 'soon' }, due, null],
    ['an invalid time never fires', { remindAt: 'noon' }, due, null],
    ['a reminder with neither field never fires', {}, due, null],
  ])('%s', (_name, reminder, dueAt, expected) => {
    expect(reminderFireTime(reminder, dueAt)?.toISOString() ?? null).toBe(expected);
  });
});

describe('validateReminders', () => {
  const due = '2026-05-01T09:00:00Z';
  it('accepts absolute and relative reminders on a dated task', () => {
    expect(validateReminders([{ remindAt: '2026-04-30T09:00:00Z' }, { before: 'PT15M' }], due)).toEqual([]);
  });

  it('accepts no reminders, with or without a due date', () => {
    expect(validateReminders([], null)).toEqual([]);
  });

  it.each([
    [
      'before without a due date',
      [{ before: 'PT15M' }],
      null,
      'reminders.0.before',
      'needs the task to have a dueAt',
    ],
    ['both fields', [{ remindAt: due, before: 'PT15M' }], due, 'reminders.0', 'exactly one of remindAt'],
    ['neither field', [{}], due, 'reminders.0', 'exactly one of remindAt'],
    [
      'a bad duration',
      [{ before: 'PT15M' }, { before: 'P2Y' }],
      due,
      'reminders.1.before',
      'years and months',
    ],
    [
      'a time without an offset',
      [{ remindAt: '2026-04-30T09:00:00' }],
      due,
      'reminders.0.remindAt',
      'RFC 3339',
    ],
    ['an impossible date', [{ remindAt: '2026-02-30T09:00:00Z' }], due, 'reminders.0.remindAt', 'RFC 3339'],
    [
      'a time before 1970',
      [{ remindAt: '1969-12-31T23:59:59Z' }],
      due,
      'reminders.0.remindAt',
      'between the years',
    ],
    [
      'eleven reminders',
      Array.from({ length: 11 }, () => ({ before: 'PT5M' })),
      due,
      'reminders',
      'at most 10',
    ],
  ])('names %s', (_name, reminders, dueAt, path, message) => {
    const errors = validateReminders(reminders, dueAt);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({ path, message: expect.stringContaining(message) });
  });

  it('reports every bad reminder, not just the first', () => {
    const errors = validateReminders([{ before: 'x' }, { remindAt: 'y' }, { before: 'PT1M' }], null);
    expect(errors.map((error) => error.path)).toEqual([
      'reminders.0.before',
      'reminders.1.remindAt',
      'reminders.2.before',
    ]);
  });
});
