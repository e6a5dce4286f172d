/** The English words a repetition phrase is made of, and what each stands for. */
import { MONTH_NAMES } from '../describe.js';
import { WEEKDAYS, type Weekday } from '../rule-parts.js';

/** "mo", "mon", "monday", "mondays" … → the RRULE weekday. */
export const DAY_WORDS: Readonly<Record<string, Weekday>> = Object.fromEntries(
  [
    ['mo', 'mon', 'monday'],
    ['tu', 'tue', 'tues', 'tuesday'],
    ['we', 'wed', 'weds', 'wednesday'],
    ['th', 'thu', 'thur', 'thurs', 'thursday'],
    ['fr', 'fri', 'friday'],
    ['sa', 'sat', 'saturday'],
    ['su', 'sun', 'sunday'],
  ].flatMap((names, i) =>
    names.flatMap((name) => {
      const weekday = WEEKDAYS[i]!;
      return name.length > 3
        ? [
            [name, weekday],
            [`${name}s`, weekday],
          ]
        : [[name, weekday]];
    }),
  ),
);

const NUMBER_WORDS = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const ORDINAL_WORDS = ['', 'first', 'second', 'third', 'fourth'];

/** Words that can start a repetition phrase. */
export const TRIGGERS = new Set([
  'every',
  'each',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'annually',
  'biweekly',
  'fortnightly',
]);

/** "3" or "three" → 3; null for anything else. */
export function cardinal(word: string): number | null {
  if (/^\d{1,3}$/.test(word)) return Number(word) || null;
  const i = NUMBER_WORDS.indexOf(word);
  return i > 0 ? i : null;
}

/** "3rd" or "third" → 3; null for anything else. */
export function ordinalValue(word: string): number | null {
  const m = /^(\d{1,2})(st|nd|rd|th)$/.exec(word);
  if (m) return Number(m[1]);
  const i = ORDINAL_WORDS.indexOf(word);
  return i > 0 ? i : null;
}

/** A day of the month written "3" or "3rd". */
export function dayNumber(word: string | undefined): number | null {
  if (word === undefined) return null;
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return ordinalValue(word);
}

/** "mar", "march" → 3. */
export function monthValue(word: string | undefined): number | null {
  if (!word || word.length < 3) return null;
  const i = MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(word.slice(0, 3)));
  return i >= 0 ? i + 1 : null;
}
