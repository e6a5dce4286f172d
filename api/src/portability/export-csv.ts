import { stringify } from 'csv-stringify/sync';
import type { StoredTask } from '../tasks/task-row.js';

/** The CSV export's columns, in order; README.md documents each. */
export const CSV_COLUMNS = [
  'id',
  'title',
  'description',
  'completed',
  'completedAt',
  'priority',
  'tags',
  'dueAt',
  'timeZone',
  'recurrence',
  'recurrenceFrom',
  'reminders',
  'seriesId',
  'parentId',
  'project',
  'createdAt',
  'updatedAt',
] as const;

// OWASP's CSV injection advice: a cell a spreadsheet would read as a formula (or a DDE command) starts with
// one of these; a leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text, never evaluates. */
export function formulaSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function reminderCell(task: StoredTask): string {
  return task.reminders.map((r) => (r.before ? `before ${r.before}` : `at ${r.remindAt}`)).join('; ');
}

function row(task: StoredTask, projectNames: ReadonlyMap<string, string>): string[] {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: task.id,
    title: task.title,
    description: task.description,
    completed: String(task.completed),
    completedAt: task.completedAt ?? '',
    priority: task.priority,
    tags: task.tags.join(' '),
    dueAt: task.dueAt ?? '',
    timeZone: task.timeZone,
    recurrence: task.recurrence?.rule ?? '',
    recurrenceFrom: task.recurrence?.from ?? '',
    reminders: reminderCell(task),
    seriesId: task.seriesId ?? '',
    parentId: task.parentId ?? '',
    project: projectNames.get(task.projectId) ?? '',
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
  return CSV_COLUMNS.map((c) => formulaSafe(cells[c]));
}

const CSV_OPTIONS = { quoted: true, quoted_empty: true, record_delimiter: 'windows' } as const;

/**
 * The tasks as RFC 4180 CSV for spreadsheets, written as the task pages come: a header row, one row per task,
 * CRLF line ends, every cell quoted, UTF-8 with a byte-order mark (so Excel reads it as UTF-8). Not
 * re-importable: JSON is.
 */
export async function* tasksCsvChunks(
  pages: AsyncIterable<readonly StoredTask[]>,
  projectNames: ReadonlyMap<string, string>,
): AsyncGenerator<string> {
  yield stringify([[...CSV_COLUMNS]], { ...CSV_OPTIONS, bom: true });
  for await (const page of pages) {
    if (page.length)
      yield stringify(
        page.map((task) => row(task, projectNames)),
        CSV_OPTIONS,
      );
  }
}
