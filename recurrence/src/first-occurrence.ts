/**
 * Where a new series starts: the first day its pattern matches, at the time of day the user chose. The
 * pattern alone decides the first date (INTERVAL counts from there), so "every 2 weeks on Monday" said on a
 * Wednesday starts next Monday, as the user means; the due date it returns is the series' DTSTART.
 */
import { hourCanRecur, occurrencesAfter, pastUntil } from './occurrence-search.js';
import { RRule } from './rrule-module.js';
import { formatRuleParts, type RuleParts } from './rule-parts.js';
import { type WallClock, zonedWallClockToInstant } from './time-zone.js';

/** Enough to step past an occurrence earlier today and a DST overlap. */
const CANDIDATES = 4;

/**
 * The instant of the first occurrence of `parts` at or after the wall-clock time `start` in `timeZone`
 * that is also strictly after `after` (usually now), or null when the pattern never matches again.
 */
export function firstOccurrence(
  parts: RuleParts,
  start: WallClock,
  timeZone: string,
  after: Date,
): Date | null {
  const pattern: RuleParts = { ...parts, interval: 1, count: undefined, until: undefined };
  if (!hourCanRecur(pattern, start.hour)) return null;
  const options = RRule.parseString(formatRuleParts(pattern));
  for (const wallClock of occurrencesAfter(options, start, { inclusive: true, limit: CANDIDATES })) {
    const instant = zonedWallClockToInstant(wallClock, timeZone);
    if (instant.getTime() <= after.getTime()) continue;
    return pastUntil(parts, wallClock, instant) ? null : instant;
  }
  return null;
}
