/**
 * Wall-clock ↔ instant conversion in IANA time zones, using only Intl (no library, so the console can reuse it).
 *
 * Recurrence maths runs on "floating" dates: a Date whose UTC fields hold a zone's local wall-clock time.
 * These functions are the only place where floating time meets real instants.
 */

/** A local calendar date and time of day; month is 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

interface Zone {
  formatter: Intl.DateTimeFormat;
  /** The IANA name Intl resolved it to; resolvedOptions() builds a fresh object per call, so it is kept. */
  canonical: string;
}

/**
 * One entry per zone, keyed case-insensitively as Intl matches zone names: keyed by the raw text, every
 * casing a client sends ("eUrOpE/lOnDoN") would add an entry, and the map would grow without bound.
 */
const zones = new Map<string, Zone>();

/** The cached formatter and canonical name of a zone Intl knows, or undefined. */
function zoneFor(timeZone: string): Zone | undefined {
  if (timeZone.length === 0 || timeZone.length > 64) return undefined;
  const key = timeZone.toLowerCase();
  let zone = zones.get(key);
  if (!zone) {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    zone = { formatter, canonical: formatter.resolvedOptions().timeZone };
    zones.set(key, zone);
  }
  return zone;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const zone = zoneFor(timeZone);
  if (!zone) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
  return zone.formatter;
}

/** True when Intl knows the IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  return zoneFor(timeZone) !== undefined;
}

/** The canonical IANA name of a zone Intl knows ("europe/london" → "Europe/London"), or null. */
export function canonicalTimeZone(timeZone: string): string | null {
  return zoneFor(timeZone)?.canonical ?? null;
}

/** How many zones the cache holds (bounded by the zones Intl knows, whatever clients send). */
export function cachedTimeZoneCount(): number {
  return zones.size;
}

/** The wall-clock time shown in `timeZone` at `instant` (seconds precision). */
export function instantToZonedWallClock(instant: Date, timeZone: string): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  const year = Number(fields.year);
  return {
    // Intl writes years before 1 CE as era "BC"; only astronomical numbering round-trips through Date.UTC.
    year: fields.era === 'BC' ? 1 - year : year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

/** The floating Date (UTC fields = wall clock) for a wall-clock time. */
export function wallClockToFloating(wall: WallClock): Date {
  const date = new Date(Date.UTC(2000, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  date.setUTCFullYear(wall.year); // Date.UTC maps years 0–99 to 1900–1999
  return date;
}

/** The wall clock stored in a floating Date's UTC fields. */
export function floatingToWallClock(floating: Date): WallClock {
  return {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
  };
}

/** The zone's UTC offset at `instant`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetAt(instant: Date, timeZone: string): number {
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return (
    wallClockToFloating(instantToZonedWallClock(new Date(wholeSeconds), timeZone)).getTime() - wholeSeconds
  );
}

const DAY_MS = 86_400_000;

/**
 * The instant at which `timeZone` shows `wall`.
 * A time skipped by a DST gap moves forward by the gap (02:30 on a spring-forward night becomes 03:30);
 * a time repeated by a DST overlap resolves to the earlier instant (the offset in force before the change).
 * Both match RFC 5545 §3.3.5 and Temporal's "compatible" disambiguation.
 */
export function zonedWallClockToInstant(wall: WallClock, timeZone: string): Date {
  const local = wallClockToFloating(wall).getTime();
  // Real zones change offset at most once within a day either side, so these two offsets are the candidates.
  const before = zoneOffsetAt(new Date(local - DAY_MS), timeZone);
  const after = zoneOffsetAt(new Date(local + DAY_MS), timeZone);
  const matches = [before, after]
    .map((offset) => local - offset)
    .filter((candidate) => zoneOffsetAt(new Date(candidate), timeZone) === local - candidate);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In a gap: read the wall clock with the offset from before the change, which lands after the gap.
  return new Date(local - before);
}

/** A change of a zone's UTC offset: at `at`, the offset goes from `offsetFrom` to `offsetTo` (ms). */
export interface ZoneTransition {
  at: Date;
  offsetFrom: number;
  offsetTo: number;
}

/** The zone's offset changes in [from, to), found by daily sampling refined to the minute. */
export function zoneTransitions(timeZone: string, from: Date, to: Date): ZoneTransition[] {
  const transitions: ZoneTransition[] = [];
  let previousTime = from.getTime();
  let previousOffset = zoneOffsetAt(from, timeZone);
  for (let time = previousTime + DAY_MS; previousTime < to.getTime(); time += DAY_MS) {
    const sample = Math.min(time, to.getTime());
    const offset = zoneOffsetAt(new Date(sample), timeZone);
    if (offset !== previousOffset) {
      // Offsets change on whole minutes; bisect (in minutes) to the first minute with the new offset.
      let [low, high] = [Math.floor(previousTime / 60_000), Math.ceil(sample / 60_000)];
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (zoneOffsetAt(new Date(middle * 60_000), timeZone) === previousOffset) low = middle;
        else high = middle;
      }
      transitions.push({ at: new Date(high * 60_000), offsetFrom: previousOffset, offsetTo: offset });
    }
    previousTime = sample;
    previousOffset = offset;
  }
  return transitions;
}
