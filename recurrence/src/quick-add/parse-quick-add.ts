/**
 * One line of quick-add text ("Pay rent every month on the 1st at 9am #home !high") → a task draft: title,
 * tags, priority, project, reminders, due date and recurrence in the core's types, and the phrases it read. Shared by the console and, later, the API's
 * assistant; the date finder (chrono-node) is passed in so the caller decides when to load it.
 */
import { describeRecurrence } from '../describe.js';
import { firstOccurrence } from '../first-occurrence.js';
import { formatRuleParts, type RuleParts } from '../rule-parts.js';
import { instantToZonedWallClock, type WallClock, zonedWallClockToInstant } from '../time-zone.js';
import { findRecurrence } from './recurrence-phrase.js';
import { findReminders, type ReminderPhrase } from './reminder-phrase.js';

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

/** A reminder in the API's shape: a duration before the due date, or an instant. */
export type QuickAddReminder = { before: string } | { remindAt: string };

/** A piece of the text that was read as something other than title; a chip shows it, a click un-parses it. */
export interface QuickAddPhrase {
  kind: 'date' | 'recurrence' | 'tag' | 'priority' | 'project' | 'reminder';
  /** The words as typed, to give back to the title. */
  text: string;
}

/** What one line of quick-add text means, shown as chips before it becomes a task. */
export interface QuickAddDraft {
  title: string;
  tags: string[];
  priority: QuickAddPriority | null;
  dueAt: string | null;
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  recurrenceSummary: string | null;
  /** "~errands" or "in Errands"; the caller maps the name to a project. */
  projectName: string | null;
  reminders: QuickAddReminder[];
  phrases: QuickAddPhrase[];
}

export interface QuickAddContext {
  now: Date;
  timeZone: string;
  /** Absent until the date parser has loaded: tags, priority and recurrence still parse. */
  findDate?: DateFinder | undefined;
  /** Project names "in <name>" may refer to; "~name" works without them. */
  projects?: readonly string[] | undefined;
  /** Phrases the user un-parsed (clicked a chip): they stay title text. */
  literal?: readonly string[] | undefined;
}

/** Tasks with a day but no time of day are due at this hour (09:00 in the task's zone). */
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

/** "Pay rent every month on the 1st at 9am #home !high ~flat remind me 1 day before" → a draft. */
export function parseQuickAdd(text: string, ctx: QuickAddContext): QuickAddDraft {
  const masked = maskLiterals(` ${text} `, ctx.literal ?? []);
  let rest = masked.text;
  const phrases: QuickAddPhrase[] = [];
  const take = (kind: QuickAddPhrase['kind'], start: number, end: number) => {
    phrases.push({ kind, text: masked.unmask(rest.slice(start, end).trim()) });
    rest = `${rest.slice(0, start)} ${rest.slice(end)}`;
  };
  const cut = (kind: QuickAddPhrase['kind'], pattern: RegExp, each: (m: RegExpExecArray) => void) => {
    for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
      each(m);
      take(kind, m.index, m.index + m[0].length);
    }
  };

  const tags: string[] = [];
  cut('tag', /(?<=\s)#([\p{L}\p{N}_-]{1,40})(?=\s)/u, (m) => {
    const tag = m[1]!.toLowerCase();
    if (!tags.includes(tag)) tags.push(tag);
  });
  let priority: QuickAddPriority | null = null;
  cut('priority', /(?<=\s)!(low|med|medium|high|urgent|[123])(?=\s)/iu, (m) => {
    priority = PRIORITY_WORDS[m[1]!.toLowerCase()] ?? priority;
  });
  let projectName: string | null = null;
  cut('project', projectPattern(ctx.projects ?? []), (m) => {
    const name = m.groups?.known ?? m.groups?.tilde ?? m.groups?.word ?? '';
    projectName = ctx.projects?.find((p) => p.toLowerCase() === name.toLowerCase()) ?? name;
  });
  const reminderPhrases = findReminders(rest);
  for (const r of [...reminderPhrases].reverse()) take('reminder', r.start, r.end);

  const repeat = findRecurrence(rest);
  if (repeat) take('recurrence', repeat.start, repeat.end);
  const found = ctx.findDate?.(rest, userNow(ctx)) ?? null;
  if (found) take('date', found.index, found.index + found.text.length);

  const rule = repeat ? formatRuleParts(repeat.parts) : null;
  const due = dueAt(found, repeat?.parts ?? null, ctx);
  return {
    title: masked.unmask(cleanTitle(rest)),
    tags,
    priority,
    dueAt: due?.toISOString() ?? null,
    recurrence: repeat && rule ? { rule, from: repeat.from } : null,
    recurrenceSummary: repeat && rule ? describeRecurrence(rule, repeat.from) : null,
    projectName,
    reminders: reminderPhrases.map((r) => toReminder(r, due, ctx)),
    phrases: order(phrases, text),
  };
}

/** "~name" (a known name may have spaces), or "in <known name>". */
function projectPattern(projects: readonly string[]): RegExp {
  const known = [...projects]
    .filter((p) => p.trim())
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const names = known.length ? `(?<known>${known.join('|')})` : '(?!)';
  return new RegExp(
    `(?<=\\s)(?:~(?:${names.replace('known', 'tilde')}|(?<word>[\\p{L}\\p{N}_-]{1,60}))|in\\s+${names})(?=\\s)`,
    'iu',
  );
}

/**
 * Hides the phrases the user un-parsed behind private-use characters no parser reads, so they stay title text
 * wherever they are in the line; `unmask` puts them back.
 */
function maskLiterals(text: string, literal: readonly string[]) {
  const hidden: string[] = [];
  let masked = text;
  for (const phrase of literal) {
    const at = phrase.trim() ? masked.indexOf(phrase.trim()) : -1;
    if (at < 0) continue;
    masked = `${masked.slice(0, at)}\uE000${String.fromCharCode(0xe100 + hidden.length)}\uE001${masked.slice(at + phrase.trim().length)}`;
    hidden.push(phrase.trim());
  }
  const unmask = (s: string) =>
    s.replace(/\uE000(.)\uE001/gu, (_, c: string) => hidden[c.charCodeAt(0) - 0xe100] ?? '');
  return { text: masked, unmask };
}

/** Phrases in the order they appear in the line, as the chips show them. */
function order(phrases: QuickAddPhrase[], text: string): QuickAddPhrase[] {
  return [...phrases].sort((a, b) => text.indexOf(a.text) - text.indexOf(b.text));
}

/**
 * "1 hour before" → as written; "at 8am" → 8:00 on the due date's day (the day before if that is after the
 * due time), or the next 8:00 from now for a task without a due date.
 */
function toReminder(r: ReminderPhrase, due: Date | null, ctx: QuickAddContext): QuickAddReminder {
  if (r.kind === 'before') return { before: r.before };
  const day = instantToZonedWallClock(due ?? ctx.now, ctx.timeZone);
  const at = (offsetDays: number) =>
    zonedWallClockToInstant(
      { ...addDays(day, offsetDays), hour: r.hour, minute: r.minute, second: 0 },
      ctx.timeZone,
    );
  let when = at(0);
  if (due && when > due) when = at(-1);
  if (!due && when <= ctx.now) when = at(1);
  return { remindAt: when.toISOString() };
}

function addDays(wall: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
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
  if (found && (found.knownDay || !parts))
    return zonedWallClockToInstant({ ...found.wall, ...time }, ctx.timeZone);
  if (!parts) return null;
  // A new series starts at its first occurrence that is still ahead of now.
  const today = instantToZonedWallClock(ctx.now, ctx.timeZone);
  return firstOccurrence(parts, { ...today, ...time }, ctx.timeZone, ctx.now);
}

function cleanTitle(rest: string): string {
  let title = rest.replace(/\s+/g, ' ').trim();
  // Words that only introduced the date or the repetition we cut out.
  for (;;) {
    const next = title
      .replace(/(^|\s)(at|on|by|due|from|starting|and|,|-|;)$/i, '')
      .replace(/^(on|at|by|due)\s/i, '')
      .trim();
    if (next === title) return title;
    title = next;
  }
}
