/** Validation of user-supplied recurrence rules, producing rrule options for the occurrence maths. */

import { parseRuleParts } from './parse-rule-parts.js';
import { RRule, type RRuleOptions } from './rrule-module.js';
import { formatRuleParts, type RuleParts } from './rule-parts.js';

/** A valid rule: its rrule options, its parts, and its canonical text (what should be stored). */
export interface ParsedRecurrenceRule {
  ok: true;
  options: Partial<RRuleOptions>;
  parts: RuleParts;
  rule: string;
}

export type RecurrenceRuleResult = ParsedRecurrenceRule | { ok: false; message: string };

/**
 * Parses an RRULE without DTSTART ("FREQ=WEEKLY;BYDAY=MO,WE", an "RRULE:" prefix is allowed).
 * Rejects what a todo list cannot sensibly repeat or what could make the occurrence search run away:
 * DTSTART, multi-line input, more than 500 characters, SECONDLY/MINUTELY, a missing FREQ, COUNT with UNTIL,
 * COUNT or INTERVAL outside 1–1000, unknown or malformed parts, and month/day pairs that never exist.
 */
export function parseRecurrenceRule(rule: string): RecurrenceRuleResult {
  const result = parseRuleParts(rule);
  if (!result.ok) return result;
  const canonical = formatRuleParts(result.parts);
  return { ok: true, options: RRule.parseString(canonical), parts: result.parts, rule: canonical };
}
