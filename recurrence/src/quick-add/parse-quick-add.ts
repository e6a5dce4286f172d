/**
 * One line of quick-add text ("Pay rent every month on the 1st at 9am #home !high") → a task draft: title,
 * tags, priority, due date and recurrence in the core's types. Shared by the console and, later, the API's
 * assistant; the date finder (chrono-node) is passed in so the caller decides when to load it.
 */
import { describeRecurrence } from '../describe.js';
import { firstOccurrence } from '../first-occurrence.js';
import { formatRuleParts, type RuleParts } from '../rule-parts.js';
import { instantToZonedWallClock, type WallClock, zonedWallClockToInstant } from '../time-zone.js';
import { findRecurrence } from './recurrence-phrase.js';

/** A local date and time without seconds, as a date parser reads it. */
export type FoundWallClock = Omit<WallClock, 'second'>;

/** A date found in free text by a date parser. */
export interface FoundDate {
  index: number;
  text: string;
  wall: FoundWallClock;
  /** The text named a day ("tomorrow", "Friday", "3 March"), not only a time of day. */
  knownDay: boolean;
  knownTime: boolean;
}

/**
 * Finds a date in text. `reference` is now as the user sees it: a Date whose local fields (getFullYear, getHours
 * …) are the wall-clock time in the user's zone, so "tomorrow" means the user's tomorrow whatever zone the
 * process runs in.
 */
export type DateFinder = (text: string, reference: Date) => FoundDate | null;

export type QuickAddPriority = 'low' | 'medium' | 'high' | 'urgent';

/** What one line of quick-add text means, shown as chips before it becomes a task. */
export interface QuickAddDraft {
  title: string;
  tags: string[];
  priority: QuickAddPriority | null;
  dueAt: string | null;
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  recurrenceSummary: string | null;
}

export interface QuickAddContext {
  now: Date;
  timeZone: string;
  /** Absent until the date parser has loaded: tags, priority and recurrence still parse. */
  findDate?: DateFinder | undefined;
}

/** Tasks with a day but no time of day are due at this hour. */
export const DEFAULT_DUE_HOUR = 9;

const PRIORITY_WORDS: Record<string, QuickAddPriority> = {
  low: 'low',
  med: 'medium',
  medium: 'medium',
  high: 'high',
  urgent: 'urgent',
  '1': 'urgent',
  '2': 'high',
  '3': 'medium',
};

/** "Pay rent every month on the 1st at 9am #home !high" → title, recurrence, due date, tags, priority. */
export function parseQuickAdd(text: string, ctx: QuickAddContext): QuickAddDraft {
  let rest = ` ${text} `;
  const tags: string[] = [];
  rest = rest.replace(/(?<=\s)#([\p{L}\p{N}_-]{1,40})(?=\s)/gu, (_, tag: string) => {
    if (!tags.includes(tag.toLowerCase())) tags.push(tag.toLowerCase());
    return ' ';
  });
  let priority: QuickAddPriority | null = null;
  rest = rest.replace(/(?<=\s)!(low|med|medium|high|urgent|[123])(?=\s)/giu, (_, word: string) => {
    priority = PRIORITY_WORDS[word.toLowerCase()] ?? priority;
    return ' ';
  });

  const repeat = findRecurrence(rest);
  if (repeat) rest = `${rest.slice(0, repeat.start)} ${rest.slice(repeat.end)}`;
  const found = ctx.findDate?.(rest, userNow(ctx)) ?? null;
  if (found) rest = `${rest.slice(0, found.index)} ${rest.slice(found.index + found.text.length)}`;

  const rule = repeat ? formatRuleParts(repeat.parts) : null;
  return {
    title: cleanTitle(rest),
    tags,
    priority,
    dueAt: dueAt(found, repeat?.parts ?? null, ctx)?.toISOString() ?? null,
    recurrence: repeat && rule ? { rule, from: repeat.from } : null,
    recurrenceSummary: repeat && rule ? describeRecurrence(rule, repeat.from) : null,
  };
}

/** Now as a Date whose local fields show the wall clock in the user's zone (see DateFinder). */
function userNow(ctx: QuickAddContext): Date {
  const wall = instantToZonedWallClock(ctx.now, ctx.timeZone);
  return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function dueAt(found: FoundDate | null, parts: RuleParts | null, ctx: QuickAddContext): Date | null {
  const time = found?.knownTime
    ? { hour: found.wall.hour, minute: found.wall.minute, second: 0 }
    : { hour: DEFAULT_DUE_HOUR, minute: 0, second: 0 };
  if (found?.knownDay) return zonedWallClockToInstant({ ...found.wall, ...time }, ctx.timeZone);
  if (!parts) return found ? zonedWallClockToInstant({ ...found.wall, second: 0 }, ctx.timeZone) : null;
  // A new series starts at its first occurrence that is still ahead of now.
  const today = instantToZonedWallClock(ctx.now, ctx.timeZone);
  return firstOccurrence(parts, { ...today, ...time }, ctx.timeZone, ctx.now);
}

function cleanTitle(rest: string): string {
  let title = rest.replace(/\s+/g, ' ').trim();
  // Words that only introduced the date or the repetition we cut out.
  for (;;) {
    const next = title
      .replace(/(^|\s)(at|on|by|due|from|starting|,|-|;)$/i, '')
      .replace(/^(on|at|by|due)\s/i, '')
      .trim();
    if (next === title) return title;
    title = next;
  }
}
