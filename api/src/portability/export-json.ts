import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument } from '@todo/contract';
import { publicView, type StoredTask } from '../tasks/task-row.js';

/** The lossless export: the versioned envelope with every task field and its place in a series. */
export function exportDocumentOf(tasks: readonly StoredTask[], now: Date): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    projects: [],
    tasks: tasks.map((task) => ({
      ...publicView(task),
      occurrence: task.occurrence,
      seriesStart: task.seriesStart,
    })),
  };
}
