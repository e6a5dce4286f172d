import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument, type ExportedProject } from '@todo/contract';
import { publicView, type StoredTask } from '../tasks/task-row.js';

/** The lossless export: the versioned envelope with the projects, every task field and its place in a series. */
export function exportDocumentOf(
  projects: readonly ExportedProject[],
  tasks: readonly StoredTask[],
  now: Date,
): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    projects: [...projects],
    tasks: tasks.map((task) => ({
      ...publicView(task),
      occurrence: task.occurrence,
      seriesStart: task.seriesStart,
    })),
  };
}
