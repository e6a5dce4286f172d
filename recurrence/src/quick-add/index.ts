/** The quick-add phrase parser: '@todo/recurrence/quick-add'. chrono-node lives in './chrono-dates.js'. */
export {
  type DateFinder,
  DEFAULT_DUE_HOUR,
  type FoundDate,
  type FoundWallClock,
  parseQuickAdd,
  type QuickAddContext,
  type QuickAddDraft,
  type QuickAddPhrase,
  type QuickAddPriority,
  type QuickAddReminder,
} from './parse-quick-add.js';
export { findRecurrence, type RecurrenceMatch } from './recurrence-phrase.js';
