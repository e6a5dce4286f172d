/**
 * When reminders fire, and which reminder lists are acceptable. Pure: the scheduler, the Dapr Jobs backend,
 * the calendar feed and the task service all derive reminder times from here.
 */

/** The reminder fields that decide when it fires (exactly one of them is set on a valid reminder). */
export interface ReminderTiming {
  remindAt?: string | undefined;
  before?: string | undefined;
}

/** One invalid field, with its dotted path ("reminders.0.before"). */
export interface ReminderFieldError {
  path: string;
  message: string;
}

export type DurationResult = { ok: true; milliseconds: number } | { ok: false; message: string };

export const MAX_REMINDERS = 10;
/** A reminder more than a year before its due date is almost certainly a typo. */
export const MAX_BEFORE_DAYS = 366;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DURATION = /^P(?:(\d{1,6})W|(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?)$/;
const EXAMPLES = 'such as "PT15M", "PT2H", "P1D" or "P1W"';

/**
 * Parses a non-negative ISO 8601 duration of weeks ("P1W") or days and time ("P1DT2H30M") to milliseconds.
 * Years and months are rejected because their length depends on the date; so are fractions, signs and
 * anything longer than 366 days. "PT0S" is allowed: a reminder at the due time.
 */
export function parseIsoDuration(text: string): DurationResult {
  if (text.startsWith('-')) return { ok: false, message: `must not be negative; use a duration ${EXAMPLES}` };
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    const hint = /^P.*[YM]/.test(text.split('T')[0] ?? '') ? 'years and months are not supported; ' : '';
    return { ok: false, message: `must be an ISO 8601 duration ${EXAMPLES}; ${hint}got "${text}"` };
  }
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const milliseconds =
    (weeks ?? 0) * 7 * DAY_MS +
    (days ?? 0) * DAY_MS +
    (hours ?? 0) * HOUR_MS +
    (minutes ?? 0) * 60_000 +
    (seconds ?? 0) * 1000;
  if (milliseconds > MAX_BEFORE_DAYS * DAY_MS) {
    return { ok: false, message: `must be at most ${MAX_BEFORE_DAYS} days, got "${text}"` };
  }
  return { ok: true, milliseconds };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The instant of an RFC 3339 timestamp with a real calendar date and an offset, or null. */
export function parseRfc3339(text: string): Date | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  const realDate = calendar.getUTCMonth() === month! - 1 && calendar.getUTCDate() === day;
  if (!realDate || hour! > 23 || minute! > 59 || second! > 59) return null;
  const instant = new Date(text.replace(' ', 'T'));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** When a reminder fires: its absolute time, or the due date minus `before`; null when it cannot fire. */
export function reminderFireTime(reminder: ReminderTiming, dueAt: string | null): Date | null {
  if (reminder.remindAt !== undefined) return parseRfc3339(reminder.remindAt);
  if (reminder.before === undefined || dueAt === null) return null;
  const due = parseRfc3339(dueAt);
  const before = parseIsoDuration(reminder.before);
  return due && before.ok ? new Date(due.getTime() - before.milliseconds) : null;
}

/** Every problem with a task's reminders given its due date; empty when they are all valid. */
export function validateReminders(
  reminders: readonly ReminderTiming[],
  dueAt: string | null,
): ReminderFieldError[] {
  const errors: ReminderFieldError[] = [];
  if (reminders.length > MAX_REMINDERS) {
    errors.push({
      path: 'reminders',
      message: `at most ${MAX_REMINDERS} reminders, got ${reminders.length}`,
    });
  }
  reminders.forEach((reminder, index) => {
    const path = `reminders.${index}`;
    if ((reminder.remindAt === undefined) === (reminder.before === undefined)) {
      errors.push({ path, message: 'needs exactly one of remindAt (a time) or before (a duration)' });
    } else if (reminder.remindAt !== undefined) {
      const message = remindAtProblem(reminder.remindAt);
      if (message) errors.push({ path: `${path}.remindAt`, message });
    } else if (reminder.before !== undefined) {
      const parsed = parseIsoDuration(reminder.before);
      if (!parsed.ok) errors.push({ path: `${path}.before`, message: parsed.message });
      else if (dueAt === null)
        errors.push({ path: `${path}.before`, message: 'needs the task to have a dueAt' });
    }
  });
  return errors;
}

function remindAtProblem(remindAt: string): string | null {
  const instant = parseRfc3339(remindAt);
  if (!instant) return `must be an RFC 3339 date-time such as "2026-05-01T09:00:00Z", got "${remindAt}"`;
  const time = instant.getTime();
  if (time < EARLIEST || time > LATEST) return 'must be between the years 1970 and 9999';
  return null;
}
