import type { Recurrence } from '@todo/contract';
import { describeRecurrence as describeRule } from '@todo/recurrence';

/**
 * The summary of a stored recurrence, as the list and the editor show it, in the core describer's words
 * (no dependencies, so it bundles here too); a rule it cannot read is shown as it is.
 */
export function describeRecurrence(recurrence: Recurrence): string {
  return describeRule(recurrence.rule, recurrence.from) ?? `custom schedule (${recurrence.rule})`;
}
