import { createHash } from 'node:crypto';
import { MAX_TASK_LEVELS, type Priority, tag } from '@todo/contract';
import { canonicalTimeZone } from '@todo/recurrence';
import { parseQuickAdd } from '@todo/recurrence/quick-add';
import { findDate } from '@todo/recurrence/quick-add/chrono';
import { CsvError, parse } from 'csv-parse/sync';
import { ValidationError } from '../http/errors.js';
import {
  type FieldResult,
  instantInRange,
  quoted,
  readDescription,
  readTags,
  readTitle,
} from './import-fields.js';
import type { ImportDraft, ImportPlan, SkippedItem } from './import-plan.js';

/**
 * Todoist's CSV priorities are the app's p1–p4 (1 is the most urgent, 4 the default), not its REST API's
 * inverted 4–1; p1 → urgent, as `!1` in our quick add.
 */
const PRIORITIES: Record<string, Priority> = { '1': 'urgent', '2': 'high', '3': 'medium', '4': 'none' };

/** Columns Todoist fills that have nothing to map to here: reported once per file, at the first row using one. */
const UNMAPPED = [
  ['DURATION', 'durations'],
  ['DEADLINE', 'deadlines'],
  ['RESPONSIBLE', 'assignees'],
] as const;

/** Todoist's labels are written into the task name as `@label`. */
const LABEL = /(^|\s)@([^\s@]+)/gu;

type Row = Record<string, string>;

interface Record_ {
  record: Row;
  info: { lines: number };
  raw: string;
}

/** Labels that can be tags come out of the name; the others stay in it, named for the report. */
function splitLabels(content: string): { text: string; tags: string[]; refused: string[] } {
  const tags: string[] = [];
  const refused: string[] = [];
  const text = content
    .replace(LABEL, (whole, space: string, label: string) => {
      const read = readTags([label]);
      if (read.refused.length || tags.length + read.tags.length > 20) {
        refused.push(label);
        return whole;
      }
      if (!tags.includes(read.tags[0]!)) tags.push(read.tags[0]!);
      return space;
    })
    .replace(/ {2,}/g, ' ');
  return { text, tags, refused };
}

/** The CSV itself, its records keyed by the upper-cased header, or a 422 naming where it breaks. */
function parseCsv(text: string): Record_[] {
  let rows: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    // One line break, LF: csv-parse counts a CRLF inside a quoted cell as two lines.
    rows = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as typeof rows;
  } catch (err) {
    if (err instanceof CsvError) throw new ValidationError(`The file is not a readable CSV: ${err.message}`);
    throw err;
  }
  const header = rows[0]?.record.map((h) => h.trim().toUpperCase()) ?? [];
  if (!(header.includes('TYPE') && header.includes('CONTENT'))) {
    throw new ValidationError('The file is not a Todoist CSV: it has no TYPE and CONTENT columns.');
  }
  return rows.slice(1).map(({ record, info, raw }) => ({
    record: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])),
    info,
    raw,
  }));
}

/** The line a record starts on (a quoted cell may hold line breaks; raw holds the empty lines skipped before it). */
function startLine(r: Record_): number {
  const breaks = r.raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0;
  return r.info.lines - breaks;
}

/** Due date and repetition from Todoist's DATE phrase, read by our quick-add parser (English only). */
function readDate(
  date: string,
  lang: string,
  timeZone: string,
  now: Date,
): Pick<ImportDraft, 'dueAt' | 'recurrence'> | undefined {
  if (lang !== '' && lang.toLowerCase() !== 'en') return undefined;
  const draft = parseQuickAdd(date, { now, timeZone, findDate });
  if (draft.title !== '' || draft.tags.length || draft.priority) return undefined;
  if (!draft.dueAt && !draft.recurrence) return undefined;
  const dueAt = draft.dueAt === null ? null : instantInRange(new Date(draft.dueAt));
  if (dueAt === undefined) return undefined;
  return { dueAt, recurrence: draft.recurrence };
}

type Report = (reason: string) => void;

/** PRIORITY: 1–4, empty for none; anything else is reported and imported without a priority. */
function readPriority(raw: string, report: Report): Priority {
  if (raw === '') return 'none';
  const known = PRIORITIES[raw];
  if (!known) report(`PRIORITY ${quoted(raw)} is not 1–4: imported without a priority`);
  return known ?? 'none';
}

/**
 * INDENT: 1 (top level) to 4 (a sub-sub-subtask), as Todoist writes it and as deep as our subtasks go. A
 * deeper one is flattened to level 4 (under the level-3 task above it); anything else is read as 1. Both
 * are reported.
 */
function readIndent(raw: string, report: Report): number {
  const indent = raw === '' ? 1 : Number(raw);
  if (Number.isInteger(indent) && indent >= 1 && indent <= MAX_TASK_LEVELS) return indent;
  if (Number.isSafeInteger(indent) && indent > MAX_TASK_LEVELS) {
    report(
      `INDENT ${indent}: subtasks nest ${MAX_TASK_LEVELS} levels at most: imported at level ${MAX_TASK_LEVELS}`,
    );
    return MAX_TASK_LEVELS;
  }
  report(`INDENT ${quoted(raw)} is not 1–4: imported at the top level`);
  return 1;
}

/** A section's name as a tag: lower case, white space as `-`, characters a tag cannot hold left out. */
export function sectionTag(name: string): string | undefined {
  const chars = [...name.trim().replace(/\s+/gu, '-')].filter((c) => tag.safeParse(c).success);
  const parsed = tag.safeParse(chars.join('').slice(0, 40));
  return parsed.success ? parsed.data : undefined;
}

/** TIMEZONE: an IANA zone, UTC when empty or unknown (reported). */
function readZone(raw: string, report: Report): string {
  if (raw === '') return 'UTC';
  const zone = canonicalTimeZone(raw);
  if (!zone) report(`TIMEZONE ${quoted(raw)} is not an IANA time zone: UTC used`);
  return zone ?? 'UTC';
}

/** DATE read as a due date and repetition, or kept as text at the end of the description (reported). */
function readDue(
  date: string,
  lang: string,
  at: { timeZone: string; now: Date; description: string },
  report: Report,
): Pick<ImportDraft, 'dueAt' | 'recurrence' | 'description'> {
  const none = { dueAt: null, recurrence: null, description: at.description };
  if (date === '') return none;
  const read = date.length <= 200 ? readDate(date, lang, at.timeZone, at.now) : undefined;
  if (read) return { ...read, description: at.description };
  report(`DATE ${quoted(date)} could not be read: kept in the description`);
  const kept = `${at.description}${at.description ? '\n\n' : ''}Todoist date: ${date.slice(0, 200)}`;
  return { ...none, description: kept.length <= 20_000 ? kept : at.description };
}

/** A note (a comment in Todoist) goes at the end of its task's description, while that has room. */
function appendNote(task: ImportDraft, note: string, report: Report): void {
  const joined = task.description ? `${task.description}\n\n${note}` : note;
  if (joined.length > 20_000) report('note not imported: the description is full');
  else task.description = joined;
}

/**
 * A Todoist CSV (their template and project export, one project per file: TYPE, CONTENT, DESCRIPTION,
 * PRIORITY, INDENT, AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, …) → tasks. A `note` row is
 * appended to the task above it; labels (`@name` in CONTENT) become tags, and so does each section's name, on
 * the tasks under it; INDENT makes subtasks. A task's source id is a hash of its row and its parents'
 * (the file holds no ids), so the same file imports once; a row edited since imports as a new task.
 */
export function readTodoistCsv(text: string, now: Date): ImportPlan {
  const drafts: ImportDraft[] = [];
  const skipped: SkippedItem[] = [];
  const reported = new Set<string>();
  const seen = new Map<string, number>();
  // The source id of the last task at each INDENT level, for its subtasks' ids.
  const parents: string[] = [];
  let section = '';
  let sectionTagName: string | undefined;
  let lastTask: ImportDraft | undefined;

  for (const r of parseCsv(text)) {
    const line = startLine(r);
    const cell = (name: string) => r.record[name] ?? '';
    const report: Report = (reason) => skipped.push({ line, reason });
    // Said once per file, at its first row.
    const reportOnce = (reason: string) => {
      if (!reported.has(reason)) report(reason);
      reported.add(reason);
    };
    const type = cell('TYPE').trim().toLowerCase();
    if (type === '' && Object.values(r.record).every((v) => v.trim() === '')) continue;
    if (type === 'note') {
      const note = readDescription(cell('CONTENT'), 'CONTENT');
      if (!lastTask) report('a note with no task above it');
      else if (!note.ok) report(`note not imported: ${note.reason}`);
      else appendNote(lastTask, note.value, report);
      continue;
    }
    lastTask = undefined;
    if (type === 'section') {
      section = cell('CONTENT').trim();
      parents.length = 0;
      sectionTagName = sectionTag(section);
      report(
        sectionTagName
          ? `section ${quoted(section)}: its tasks are tagged "${sectionTagName}" (sections are kept as tags)`
          : `section ${quoted(section)} is not kept: its name cannot be a tag`,
      );
      continue;
    }
    if (type !== 'task') {
      report(`TYPE ${quoted(cell('TYPE'))} is not task, section or note`);
      continue;
    }

    const { text: content, tags, refused } = splitLabels(cell('CONTENT'));
    const fields = [readTitle(content, 'CONTENT'), readDescription(cell('DESCRIPTION'), 'DESCRIPTION')];
    const [name, details] = fields as [FieldResult, FieldResult];
    if (!name.ok || !details.ok) {
      report(`not imported: ${fields.flatMap((f) => (f.ok ? [] : [f.reason])).join('; ')}`);
      continue;
    }
    if (refused.length)
      report(`labels kept in the title (not valid tags): ${refused.map(quoted).join(', ')}`);
    const priority = readPriority(cell('PRIORITY').trim(), report);
    const indent = readIndent(cell('INDENT').trim(), report);
    const timeZone = readZone(cell('TIMEZONE').trim(), report);
    const date = cell('DATE').trim();
    const due = readDue(
      date,
      cell('DATE_LANG').trim(),
      { timeZone, now, description: details.value },
      report,
    );
    for (const [column, what] of UNMAPPED) {
      if (cell(column).trim() !== '') reportOnce(`${what} (${column}) are not kept`);
    }
    if (sectionTagName && !tags.includes(sectionTagName)) {
      if (tags.length < 20) tags.push(sectionTagName);
      else report(`the section's tag "${sectionTagName}" is not added: a task has 20 tags at most`);
    }

    let parent = '';
    if (indent > 1) {
      parent = parents[indent - 2] ?? '';
      if (!parent)
        report(`INDENT ${indent} has no task at level ${indent - 1} above it: imported at the top level`);
    }
    const key = JSON.stringify([
      parent,
      section,
      cell('CONTENT'),
      cell('DESCRIPTION'),
      cell('PRIORITY').trim(),
      date,
    ]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const sourceId = createHash('sha256').update(`${key}#${n}`).digest('base64url');
    parents.length = indent - 1;
    parents[indent - 1] = sourceId;

    lastTask = {
      line,
      sourceId,
      parentKey: parent || null,
      title: name.value,
      priority,
      tags,
      ...due,
      timeZone,
      reminders: [],
      completed: false,
      completedAt: null,
    };
    drafts.push(lastTask);
  }
  return { source: 'todoist-csv', drafts, skipped };
}
