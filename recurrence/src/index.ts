/** The recurrence and time-zone core: pure functions, no I/O. */
export { DAY_NAMES, describeRecurrence, describeRuleParts, list, MONTH_NAMES, ordinal } from './describe.js';
export { firstOccurrence } from './first-occurrence.js';
export { computeNextOccurrence, type NextOccurrence, type RecurringTask } from './next-occurrence.js';
export { parseRuleParts } from './parse-rule-parts.js';
export {
  type DurationResult,
  MAX_BEFORE_DAYS,
  MAX_REMINDERS,
  parseIsoDuration,
  parseRfc3339,
  type ReminderFieldError,
  type ReminderTiming,
  reminderFireTime,
  validateReminders,
} from './reminder-times.js';
export { RRule, type RRuleOptions } from './rrule-module.js';
export {
  type ParsedRecurrenceRule,
  parseRecurrenceRule,
  type RecurrenceRuleResult,
} from './rrule-validation.js';
export {
  FREQUENCIES,
  type Frequency,
  formatRuleParts,
  MAX_COUNT,
  MAX_INTERVAL,
  MAX_RULE_LENGTH,
  newRuleParts,
  type RuleParts,
  type RulePartsResult,
  type UntilSpec,
  WEEKDAYS,
  type Weekday,
  type WeekdaySpec,
} from './rule-parts.js';
export { formatSeriesAnchor, parseSeriesAnchor, seriesAnchorAt, seriesWallClock } from './series-anchor.js';
export {
  cachedTimeZoneCount,
  canonicalTimeZone,
  floatingToWallClock,
  instantToZonedWallClock,
  isValidTimeZone,
  type WallClock,
  wallClockToFloating,
  type ZoneTransition,
  zonedWallClockToInstant,
  zoneOffsetAt,
  zoneTransitions,
} from './time-zone.js';
