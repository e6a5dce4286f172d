/** "remind me 1 hour before", "remind me the day before", "remind me at 8am": reminders in quick-add text. */
import { cardinal } from './phrase-words.js';

/** A reminder as the text gave it: an ISO 8601 duration before the due date, or a time of day. */
export type ReminderPhrase =
  | { kind: 'before'; before: string; start: number; end: number }
  | { kind: 'at'; hour: number; minute: number; start: number; end: number };

const UNIT: Record<string, 'M' | 'H' | 'D' | 'W'> = {
  m: 'M',
  min: 'M',
  mins: 'M',
  minute: 'M',
  minutes: 'M',
  h: 'H',
  hr: 'H',
  hrs: 'H',
  hour: 'H',
  hours: 'H',
  d: 'D',
  day: 'D',
  days: 'D',
  w: 'W',
  wk: 'W',
  wks: 'W',
  week: 'W',
  weeks: 'W',
};

const PHRASE = new RegExp(
  [
    String.raw`(?<=\s)remind(?:\s+me)?\s+(?:`,
    String.raw`(?<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?<unit>${Object.keys(UNIT).join('|')})\s+(?:before|earlier|ahead)`,
    String.raw`|(?:the\s+|a\s+)?(?<whole>day|week)\s+(?:before|earlier|ahead)`,
    String.raw`|at\s+(?<hour>\d{1,2})(?:[:.h](?<minute>\d{2}))?\s*(?<ampm>[ap]\.?m\.?)?`,
    String.raw`)(?=\s)`,
  ].join(''),
  'giu',
);

/** Every reminder phrase in `text` (which starts and ends with a space), in order. */
export function findReminders(text: string): ReminderPhrase[] {
  const found: ReminderPhrase[] = [];
  for (const m of text.matchAll(PHRASE)) {
    const g = m.groups ?? {};
    const span = { start: m.index, end: m.index + m[0].length };
    if (g.whole) {
      found.push({ kind: 'before', before: g.whole.toLowerCase() === 'day' ? 'P1D' : 'P7D', ...span });
    } else if (g.unit) {
      const n = /^an?$/i.test(g.n ?? '') ? 1 : cardinal((g.n ?? '').toLowerCase());
      const unit = UNIT[g.unit.toLowerCase()];
      if (!n || !unit) continue;
      const before = unit === 'W' ? `P${n * 7}D` : unit === 'D' ? `P${n}D` : `PT${n}${unit}`;
      found.push({ kind: 'before', before, ...span });
    } else {
      const time = clockTime(Number(g.hour), Number(g.minute ?? 0), g.ampm);
      if (time) found.push({ kind: 'at', ...time, ...span });
    }
  }
  return found;
}

/** 8 + "pm" → 20:00; null for a time that does not exist (25:00, 13pm). */
function clockTime(
  hour: number,
  minute: number,
  ampm: string | undefined,
): { hour: number; minute: number } | null {
  if (minute > 59) return null;
  if (!ampm) return hour <= 23 ? { hour, minute } : null;
  if (hour < 1 || hour > 12) return null;
  const pm = ampm.toLowerCase().startsWith('p');
  return { hour: (hour % 12) + (pm ? 12 : 0), minute };
}
