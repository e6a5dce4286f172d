import { createHash } from 'node:crypto';
import type { Priority } from '@todo/contract';
import { canonicalTimeZone } from '@todo/recurrence';
import { parseQuickAdd } from '@todo/recurrence/quick-add';
import { findDate } from '@todo/recurrence/quick-add/chrono';
import { CsvError, parse } from 'csv-parse/sync';
import { ValidationError } from '../http/errors.js';
import { instantInRange, quoted, readDescription, readTags, readTitle } from './import-fields.js';
import type { ImportDraft, ImportPlan, SkippedItem } from './import-plan.js';

/**
 * Todoist's CSV priorities are the app's p1–p4 (1 is the most urgent, 4 the default), not its REST API's
 * inverted 4–1; p1 → urgent, as `!1` in our quick add.
 */
const PRIORITIES: Record<string, Priority> = { '1': 'urgent', '2': 'high', '3': 'medium', '4': 'none' };

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

/**
 * A Todoist CSV (their template and project export: TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT, AUTHOR,
 * RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, …) → tasks. A `note` row is appended to the task above
 * it; labels (`@name` in CONTENT) become tags. A task's source id is a hash of its row and its parents'
 * (the file holds no ids), so the same file imports once; a row edited since imports as a new task.
 */
export function readTodoistCsv(text: string, now: Date): ImportPlan {
  const records = parseCsv(text);
  const drafts: ImportDraft[] = [];
  const skipped: SkippedItem[] = [];
  const once = new Set<string>();
  const noteOnce = (key: string, line: number, reason: string) => {
    if (once.has(key)) return;
    once.add(key);
    skipped.push({ line, reason });
  };
  const seen = new Map<string, number>();
  // The source id of the last task at each INDENT level, for its subtasks' ids.
  const parents: string[] = [];
  let section = '';
  let lastTask: ImportDraft | undefined;

  for (const r of records) {
    const line = startLine(r);
    const cell = (name: string) => r.record[name] ?? '';
    const type = cell('TYPE').trim().toLowerCase();
    if (type === '' && Object.values(r.record).every((v) => v.trim() === '')) continue;
    if (type === 'section') {
      section = cell('CONTENT').trim();
      noteOnce('section', line, 'sections are not kept: their tasks are imported without them');
      lastTask = undefined;
      continue;
    }
    if (type === 'note') {
      const note = readDescription(cell('CONTENT'), 'CONTENT');
      if (!lastTask) skipped.push({ line, reason: 'a note with no task above it' });
      else if (!note.ok) skipped.push({ line, reason: `note not imported: ${note.reason}` });
      else {
        const joined = lastTask.description ? `${lastTask.description}\n\n${note.value}` : note.value;
        if (joined.length > 20_000)
          skipped.push({ line, reason: 'note not imported: the description is full' });
        else lastTask.description = joined;
      }
      continue;
    }
    if (type !== 'task') {
      skipped.push({ line, reason: `TYPE ${quoted(cell('TYPE'))} is not task, section or note` });
      lastTask = undefined;
      continue;
    }

    const { text: content, tags, refused } = splitLabels(cell('CONTENT'));
    const name = readTitle(content, 'CONTENT');
    const details = readDescription(cell('DESCRIPTION'), 'DESCRIPTION');
    if (!name.ok || !details.ok) {
      skipped.push({
        line,
        reason: `not imported: ${name.ok ? '' : name.reason}${!name.ok && !details.ok ? '; ' : ''}${details.ok ? '' : details.reason}`,
      });
      lastTask = undefined;
      continue;
    }
    if (refused.length)
      skipped.push({
        line,
        reason: `labels kept in the title (not valid tags): ${refused.map(quoted).join(', ')}`,
      });

    const rawPriority = cell('PRIORITY').trim();
    let priority: Priority = 'none';
    if (rawPriority !== '') {
      const known = PRIORITIES[rawPriority];
      if (known) priority = known;
      else
        skipped.push({
          line,
          reason: `PRIORITY ${quoted(rawPriority)} is not 1–4: imported without a priority`,
        });
    }

    const rawIndent = cell('INDENT').trim();
    let indent = rawIndent === '' ? 1 : Number(rawIndent);
    if (!Number.isInteger(indent) || indent < 1 || indent > 5) {
      skipped.push({ line, reason: `INDENT ${quoted(rawIndent)} is not 1–5: imported at the top level` });
      indent = 1;
    }
    if (indent > 1) noteOnce('indent', line, 'subtasks (INDENT above 1) are imported as top-level tasks');

    const rawZone = cell('TIMEZONE').trim();
    let timeZone = 'UTC';
    if (rawZone !== '') {
      const zone = canonicalTimeZone(rawZone);
      if (zone) timeZone = zone;
      else skipped.push({ line, reason: `TIMEZONE ${quoted(rawZone)} is not an IANA time zone: UTC used` });
    }

    let description = details.value;
    let when: Pick<ImportDraft, 'dueAt' | 'recurrence'> = { dueAt: null, recurrence: null };
    const date = cell('DATE').trim();
    if (date !== '') {
      const read = date.length <= 200 ? readDate(date, cell('DATE_LANG').trim(), timeZone, now) : undefined;
      if (read) when = read;
      else {
        const kept = `${description}${description ? '\n\n' : ''}Todoist date: ${date.slice(0, 200)}`;
        if (kept.length <= 20_000) description = kept;
        skipped.push({ line, reason: `DATE ${quoted(date)} could not be read: kept in the description` });
      }
    }
    if (cell('DURATION').trim() !== '') noteOnce('duration', line, 'durations (DURATION) are not kept');

    const parent = parents[indent - 2] ?? '';
    const key = JSON.stringify([parent, section, cell('CONTENT'), cell('DESCRIPTION'), rawPriority, date]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const sourceId = createHash('sha256').update(`${key}#${n}`).digest('base64url');
    parents.length = indent - 1;
    parents[indent - 1] = sourceId;

    lastTask = {
      line,
      sourceId,
      title: name.value,
      description,
      priority,
      tags,
      ...when,
      timeZone,
      reminders: [],
      completed: false,
      completedAt: null,
    };
    drafts.push(lastTask);
  }
  return { source: 'todoist-csv', drafts, skipped };
}
