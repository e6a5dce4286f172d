import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedProject, type ExportedTask } from '@todo/contract';
import { publicView, type StoredTask } from '../tasks/task-row.js';

/** A task as the lossless export holds it: every field and its place in a series. */
export function exportedTaskOf(task: StoredTask): ExportedTask {
  return { ...publicView(task), occurrence: task.occurrence, seriesStart: task.seriesStart };
}

/**
 * The lossless export as JSON text, written as the task pages come: the versioned envelope and the projects,
 * then each page's tasks, then the closing brackets. Joined, the chunks are one ExportDocument.
 */
export async function* exportDocumentChunks(
  projects: readonly ExportedProject[],
  pages: AsyncIterable<readonly StoredTask[]>,
  now: Date,
): AsyncGenerator<string> {
  const head = JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    projects,
  });
  yield `${head.slice(0, -1)},"tasks":[`;
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${first ? '' : ','}${page.map((task) => JSON.stringify(exportedTaskOf(task))).join(',')}`;
    first = false;
  }
  yield ']}';
}
