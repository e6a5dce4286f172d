import { RRule, zoneTransitions } from '@todo/recurrence';
import { describe, expect, it } from 'vitest';
import { vtimezoneLines } from './vtimezone.js';

/** The observances of a VTIMEZONE as property maps. */
function observances(lines: string[]): Record<string, string>[] {
  const result: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:STANDARD' || line === 'BEGIN:DAYLIGHT') current = { KIND: line.slice(6) };
    else if (line.startsWith('END:') && current) {
      result.push(current);
      current = null;
    } else if (current) {
      const [name, ...value] = line.split(':');
      current[name!] = value.join(':');
    }
  }
  return result;
}

/** Offset text "+0100" / "-0500" to milliseconds. */
const offsetMs = (text: string) =>
  (text.startsWith('-') ? -1 : 1) *
  (Number(text.slice(1, 3)) * 3_600_000 + Number(text.slice(3, 5)) * 60_000);

/** Floating DTSTART "20260308T020000" as a Date with those UTC fields. */
const floating = (text: string) =>
  new Date(
    Date.UTC(
      +text.slice(0, 4),
      +text.slice(4, 6) - 1,
      +text.slice(6, 8),
      +text.slice(9, 11),
      +text.slice(11, 13),
    ),
  );

describe('vtimezoneLines', () => {
  it.each(['America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Santiago'])(
    'gives %s yearly rules that reproduce every offset change of the next ten years',
    (zone) => {
      const found = observances(vtimezoneLines(zone, 2025, 2027));
      expect(found.every((observance) => observance.RRULE)).toBe(true);
      const expanded = found.flatMap((observance) => {
        const rule = new RRule({
          ...RRule.parseString(observance.RRULE!),
          dtstart: floating(observance.DTSTART!),
        });
        return rule
          .between(new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2036, 0, 1)))
          .map((local) => local.getTime() - offsetMs(observance.TZOFFSETFROM!));
      });
      const actual = zoneTransitions(zone, new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2036, 0, 1)));
      expect(expanded.sort()).toEqual(actual.map((transition) => transition.at.getTime()));
    },
  );

  it('gives a zone without DST one standard observance', () => {
    expect(vtimezoneLines('Asia/Tokyo', 2025, 2027)).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Asia/Tokyo',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0900',
      'TZOFFSETTO:+0900',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('lists each change, after a starting observance, when a zone follows no yearly pattern', () => {
    // Morocco suspends its summer time for Ramadan, which moves through the solar year.
    const zone = 'Africa/Casablanca';
    const found = observances(vtimezoneLines(zone, 2025, 2027));
    // Sampled over 15 years at least, so the listing reaches well past the requested range.
    const changes = zoneTransitions(zone, new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2040, 0, 1)));
    expect(found.some((observance) => observance.RRULE)).toBe(false);
    expect(found).toHaveLength(changes.length + 1);
    expect(found[0]).toMatchObject({ DTSTART: '19700101T000000' });
    expect(
      found
        .slice(1)
        .map((observance) => floating(observance.DTSTART!).getTime() - offsetMs(observance.TZOFFSETFROM!)),
    ).toEqual(changes.map((change) => change.at.getTime()));
  });
});
