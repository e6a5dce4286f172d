/**
 * Words that are only sometimes dates. "May", "March", "sun", "sat", "mon" (French "my") and "8h" (French for
 * eight o'clock, read by chrono as "in 8 hours") are title text on their own; the phrase around them makes a
 * date: "on May 3", "in April", "next may", "on sun", "sun 3pm", "in 8h".
 */
import { DAY_WORDS, monthValue } from './phrase-words.js';

/** Words before a month name that make it a date: "in April", "by May", "next March". */
const MONTH_LEADS = new Set([
  'in',
  'by',
  'until',
  'till',
  'before',
  'after',
  'next',
  'this',
  'during',
  'early',
  'mid',
  'late',
  'from',
  'since',
]);
/** Words before a weekday abbreviation that make it a date: "on sun", "next sat", "by wed". */
const DAY_LEADS = new Set([
  'on',
  'next',
  'this',
  'by',
  'until',
  'till',
  'before',
  'after',
  'due',
  'from',
  'last',
]);

const FULL_WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/** What a date finder matched, and which parts of it the text stated. */
export interface DateCandidate {
  index: number;
  text: string;
  knownDay: boolean;
  knownTime: boolean;
}

/**
 * The match with the word that made it a date in front ("in April", "next march"), so that word leaves the
 * title with it.
 */
export function withLead<T extends DateCandidate>(text: string, match: T): T {
  const m = /([\p{L}]+)(\s+)$/u.exec(text.slice(0, match.index));
  if (!m || !(MONTH_LEADS.has(m[1]!.toLowerCase()) || DAY_LEADS.has(m[1]!.toLowerCase()))) return match;
  const index = match.index - m[0].length;
  return { ...match, index, text: text.slice(index, match.index + match.text.length) };
}

/** The word just before `index` in `text`, lower-cased ("" at the start). */
function wordBefore(text: string, index: number): string {
  const m = /([\p{L}]+)\s*$/u.exec(text.slice(0, index));
  return m ? m[1]!.toLowerCase() : '';
}

function isMonthWord(word: string): boolean {
  return (
    monthValue(word) !== null && /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*$/.test(word)
  );
}

/** False for a match that is one of the sometimes-date words standing alone, true for any real date phrase. */
export function isDateInContext(text: string, match: DateCandidate): boolean {
  const words = match.text.trim().toLowerCase().split(/\s+/);
  // chrono reads a bare "8h" as eight hours from now; only "in 8h" says that.
  if (/^\d{1,2}\s*h$/i.test(match.text.trim())) return false;
  if (words.length !== 1 || match.knownTime || /\d/.test(match.text)) return true;
  const [word] = words as [string];
  const before = wordBefore(text, match.index);
  if (isMonthWord(word) && !match.knownDay) return MONTH_LEADS.has(before);
  if (word in DAY_WORDS && !FULL_WEEKDAYS.has(word.replace(/s$/, ''))) return DAY_LEADS.has(before);
  return true;
}

/**
 * "this may", "by may", "mid may": chrono leaves these alone because "may" is also a verb. The first of May (the
 * 15th for "mid"), this year or, once May has begun, the next.
 */
export function findMayPhrase(
  text: string,
  reference: Date,
): { index: number; text: string; year: number; month: number; day: number } | null {
  const m = /(?<=^|\s)(this|by|until|till|before|mid|next|in)\s+may(?=\s|$)/iu.exec(text);
  if (!m) return null;
  const year = reference.getFullYear() + (reference.getMonth() + 1 >= 5 ? 1 : 0);
  return { index: m.index, text: m[0], year, month: 5, day: m[1]!.toLowerCase() === 'mid' ? 15 : 1 };
}
