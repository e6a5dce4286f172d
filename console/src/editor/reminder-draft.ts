import type { ReminderInput as Reminder } from '@todo/contract';
import { parseIsoDuration, zonedWallClockToInstant } from '@todo/recurrence';
import { isoDate, isoTime, parseWallTime, wallTimeAt } from '../time/zoned.js';

/** A reminder as the editor shows it: "15 minutes before" or "at 2026-11-25 09:00" in the task's zone. */
export type ReminderDraft =
  | { kind: 'before'; amount: number; unit: 'minutes' | 'hours' | 'days' }
  | { kind: 'at'; local: string }; // YYYY-MM-DDTHH:mm[:ss], as datetime-local inputs give it

const UNIT_CODE = { minutes: 'M', hours: 'H', days: 'D' } as const;
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/** The editor row for a stored reminder; durations the form cannot show become minutes. */
export function toDraft(reminder: Reminder, timeZone: string): ReminderDraft {
  if (reminder.remindAt) {
    const w = wallTimeAt(new Date(reminder.remindAt), timeZone);
    const seconds = w.second ? `:${String(w.second).padStart(2, '0')}` : '';
    return { kind: 'at', local: `${isoDate(w)}T${isoTime(w)}${seconds}` };
  }
  // The core reads every duration the API accepts ("P1W", "P1DT2H", "PT0S"); seconds round to minutes.
  const duration = parseIsoDuration(reminder.before ?? '');
  const minutes = duration.ok ? Math.round(duration.milliseconds / MINUTE_MS) : 15;
  if (minutes > 0 && minutes % DAY_MINUTES === 0)
    return { kind: 'before', amount: minutes / DAY_MINUTES, unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { kind: 'before', amount: minutes / 60, unit: 'hours' };
  return { kind: 'before', amount: minutes, unit: 'minutes' };
}

/** The API shape of an editor row; null when an absolute time is incomplete. */
export function fromDraft(draft: ReminderDraft, timeZone: string): Reminder | null {
  if (draft.kind === 'before') {
    const code = UNIT_CODE[draft.unit];
    return { before: draft.unit === 'days' ? `P${draft.amount}D` : `PT${draft.amount}${code}` };
  }
  const [date, time] = draft.local.split('T');
  const wall = parseWallTime(date ?? '', time ?? '');
  return wall ? { remindAt: zonedWallClockToInstant(wall, timeZone).toISOString() } : null;
}
