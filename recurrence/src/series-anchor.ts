/**
 * The series anchor: the wall-clock time of a recurring series' first occurrence in its zone (RFC 5545's
 * DTSTART), kept beside each task of the series as text like "2027-03-12T02:30:00".
 *
 * A task stores only the instant it is due. When a DST gap moved an occurrence (02:30 does not exist, so it
 * is due at 03:30), that instant no longer tells which wall-clock time the series runs at; the anchor does,
 * so the next occurrence follows the rule and never the shifted time.
 */
import type { RuleParts } from './rule-parts.js';
import {
  floatingToWallClock,
  instantToZonedWallClock,
  type WallClock,
  wallClockToFloating,
  zonedWallClockToInstant,
  zoneOffsetAt,
} from './time-zone.js';

const ANCHOR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The anchor text of a wall-clock time. */
export function formatSeriesAnchor(wall: WallClock): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** The anchor of a series whose first occurrence is due at `instant` in `timeZone`. */
export function seriesAnchorAt(instant: Date, timeZone: string): string {
  return formatSeriesAnchor(instantToZonedWallClock(instant, timeZone));
}

/** The wall clock of an anchor's text, or null when it is not one. */
export function parseSeriesAnchor(text: string): WallClock | null {
  const match = ANCHOR.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const wall: WallClock = {
    year: year!,
    month: month!,
    day: day!,
    hour: hour!,
    minute: minute!,
    second: second!,
  };
  const check = new Date(Date.UTC(2000, wall.month - 1, wall.day));
  const realDate = check.getUTCMonth() === wall.month - 1 && check.getUTCDate() === wall.day;
  return realDate && wall.hour < 24 && wall.minute < 60 && wall.second < 60 ? wall : null;
}

/**
 * The wall-clock time a task of a series stands for, given its series anchor: what DTSTART says for it in a
 * calendar feed, and where the rule continues from. Differs from its local time only after a DST gap moved it.
 */
export function seriesWallClock(
  dueAt: Date,
  timeZone: string,
  parts: RuleParts,
  seriesStart: string | null | undefined,
): WallClock {
  return nominalWallClock(dueAt, timeZone, parts, seriesStart ? parseSeriesAnchor(seriesStart) : null);
}

/**
 * The wall-clock time the series meant for a task due at `dueAt`: its own local time, unless a DST gap just
 * before moved it forward and the time before the move is the one that fits the anchor and the rule.
 */
function nominalWallClock(
  dueAt: Date,
  timeZone: string,
  parts: RuleParts,
  anchor: WallClock | null,
): WallClock {
  const shown = instantToZonedWallClock(dueAt, timeZone);
  if (!anchor) return shown;
  const gap = zoneOffsetAt(dueAt, timeZone) - zoneOffsetAt(new Date(dueAt.getTime() - DAY_MS), timeZone);
  if (gap <= 0) return shown;
  const before = floatingToWallClock(new Date(wallClockToFloating(shown).getTime() - gap));
  const movedByGap = zonedWallClockToInstant(before, timeZone).getTime() === dueAt.getTime();
  return movedByGap && fitsTimeOfDay(before, parts, anchor) && !fitsTimeOfDay(shown, parts, anchor)
    ? before
    : shown;
}

/**
 * Whether the rule, started at `anchor`, can produce an occurrence at this time of day: each of hour,
 * minute and second is in its BY… list, or else equals the anchor's (an HOURLY rule's hours are any that
 * are a whole number of INTERVALs from the anchor).
 */
function fitsTimeOfDay(wall: WallClock, parts: RuleParts, anchor: WallClock): boolean {
  const second =
    parts.bySecond.length > 0 ? parts.bySecond.includes(wall.second) : wall.second === anchor.second;
  const minute =
    parts.byMinute.length > 0 ? parts.byMinute.includes(wall.minute) : wall.minute === anchor.minute;
  let hour: boolean;
  if (parts.byHour.length > 0) hour = parts.byHour.includes(wall.hour);
  else if (parts.freq === 'HOURLY') {
    const hours = Math.round(
      (wallClockToFloating({ ...wall, minute: 0, second: 0 }).getTime() -
        wallClockToFloating({ ...anchor, minute: 0, second: 0 }).getTime()) /
        HOUR_MS,
    );
    hour = hours % parts.interval === 0;
  } else hour = wall.hour === anchor.hour;
  return second && minute && hour;
}
