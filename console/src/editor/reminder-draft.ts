import type { ReminderInput as Reminder } from '@todo/contract';
import { zonedWallClockToInstant } from '@todo/recurrence';
import { isoDate, isoTime, parseWallTime, wallTimeAt } from '../time/zoned.js';

/** A reminder as the editor shows it: "15 minutes before" or "at 2026-11-25 09:00" in the task's zone. */
export type ReminderDraft =
  | { kind: 'before'; amount: number; unit: 'minutes' | 'hours' | 'days' }
  | { kind: 'at'; local: string }; // YYYY-MM-DDTHH:mm[:ss], as datetime-local inputs give it

const UNIT_CODE = { minutes: 'M', hours: 'H', days: 'D' } as const;

/** The editor row for a stored reminder; durations the form cannot show become minutes. */
export function toDraft(reminder: Reminder, timeZone: string): ReminderDraft {
  if (reminder.remindAt) {
    const w = wallTimeAt(new Date(reminder.remindAt), timeZone);
    const seconds = w.second ? `:${String(w.second).padStart(2, '0')}` : '';
    return { kind: 'at', local: `${isoDate(w)}T${isoTime(w)}${seconds}` };
  }
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(reminder.before ?? '');
  const [days, hours, minutes] = [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0), Number(m?.[3] ?? 0)];
  if (days && !hours && !minutes) return { kind: 'before', amount: days, unit: 'days' };
  if (hours && !minutes) return { kind: 'before', amount: days * 24 + hours, unit: 'hours' };
  return { kind: 'before', amount: (days * 24 + hours) * 60 + minutes || 15, unit: 'minutes' };
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
