/**
 * The shared quick-add parser with chrono-node as its date finder. chrono-node and rrule (for the first
 * occurrence of a series) are most of its weight, so the quick-add box imports this module lazily.
 */
import { parseQuickAdd, type QuickAddDraft } from '@todo/recurrence/quick-add';
import { findDate } from '@todo/recurrence/quick-add/chrono';

/** What one line of quick-add text means, read at `now` in the user's zone. */
export function parseLine(text: string, now: Date, timeZone: string): QuickAddDraft {
  return parseQuickAdd(text, { now, timeZone, findDate });
}
