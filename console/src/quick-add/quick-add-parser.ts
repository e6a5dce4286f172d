/**
 * The shared quick-add parser with chrono-node as its date finder. chrono-node and rrule (for the first
 * occurrence of a series) are most of its weight, so the quick-add box imports this module lazily.
 */
import { parseQuickAdd, type QuickAddDraft } from '@todo/recurrence/quick-add';
import { findDate } from '@todo/recurrence/quick-add/chrono';

/** What the line is read against: now in the user's zone, the project names, the phrases un-parsed. */
export interface LineContext {
  now: Date;
  timeZone: string;
  projects: readonly string[];
  literal: readonly string[];
}

/** What one line of quick-add text means. */
export function parseLine(text: string, ctx: LineContext): QuickAddDraft {
  return parseQuickAdd(text, { ...ctx, findDate });
}
