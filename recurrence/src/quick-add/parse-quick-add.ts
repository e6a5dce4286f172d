import type { Priority, Recurrence } from '../api/types.js';
import { firstOccurrence } from '../recurrence/first-occurrence.js';
import { toRecurrence } from '../recurrence/recurrence-model.js';
import { summarize } from '../recurrence/recurrence-summary.js';
import { addDays, instantOf, type WallTime, wallTimeAt } from '../time/zoned.js';
import { findRecurrence } from './recurrence-phrase.js';

/** A date found in free text by a date parser (chrono-node in the browser, loaded lazily). */
export interface FoundDate {
  index: number;
  text: string;
  wall: WallTime;
  /** The text named a day ("tomorrow", "Friday", "3 March"), not only a time of day. */
  knownDay: boolean;
  knownTime: boolean;
}

export type DateFinder = (text: string, reference: Date) => FoundDate | null;

/** What one line of quick-add text means, shown as chips before it becomes a task. */
export interface QuickAddDraft {
  title: string;
  tags: string[];
  priority: Priority | null;
  dueAt: string | null;
  recurrence: Recurrence | null;
  recurrenceSummary: string | null;
}

export interface QuickAddContext {
  now: Date;
  timeZone: string;
  /** Absent until the date parser has loaded: tags, priority and recurrence still parse. */
  findDate?: DateFinder;
}

/** Tasks with a day but no time of day are due at this hour. */
export const DEFAULT_DUE_HOUR = 9;

const PRIORITY_WORDS: Record<string, Priority> = {
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
  let priority: Priority | null = null;
  rest = rest.replace(/(?<=\s)!(low|med|medium|high|urgent|[123])(?=\s)/giu, (_, word: string) => {
    priority = PRIORITY_WORDS[word.toLowerCase()] ?? priority;
    return ' ';
  });

  const repeat = findRecurrence(rest);
  if (repeat) rest = `${rest.slice(0, repeat.start)} ${rest.slice(repeat.end)}`;
  const found = ctx.findDate?.(rest, ctx.now) ?? null;
  if (found) rest = `${rest.slice(0, found.index)} ${rest.slice(found.index + found.text.length)}`;

  const due = dueWallTime(found, repeat?.model ?? null, ctx);
  return {
    title: cleanTitle(rest),
    tags,
    priority,
    dueAt: due ? instantOf(due, ctx.timeZone).toISOString() : null,
    recurrence: repeat ? toRecurrence(repeat.model) : null,
    recurrenceSummary: repeat ? summarize(repeat.model) : null,
  };
}

function dueWallTime(
  found: FoundDate | null,
  model: Parameters<typeof firstOccurrence>[0] | null,
  ctx: QuickAddContext,
): WallTime | null {
  const time = found?.knownTime
    ? { hour: found.wall.hour, minute: found.wall.minute }
    : { hour: DEFAULT_DUE_HOUR, minute: 0 };
  if (found?.knownDay) return { ...found.wall, ...time };
  if (!model) return found ? found.wall : null;
  // A new series starts at its first occurrence that is still ahead of now.
  const today = wallTimeAt(ctx.now, ctx.timeZone);
  const first: WallTime = { ...firstOccurrence(model, today), ...time };
  if (instantOf(first, ctx.timeZone) > ctx.now) return first;
  return { ...firstOccurrence(model, addDays({ ...today, ...time }, 1)), ...time };
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
