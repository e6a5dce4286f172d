import { EXPORT_FORMAT, IMPORT_MAX_TASKS, importDocument } from '@todo/contract';
import { BadRequestError, ValidationError } from '../http/errors.js';
import { tooManyTasks } from './import.service.js';
import type { ImportPlan } from './import-plan.js';

/**
 * Our own export read back. The document is checked whole against its schema (400 naming each field);
 * `line` in the report is a task's position in `tasks`, from 1.
 */
export function readExportDocument(body: unknown): ImportPlan {
  const tasks = (body as { tasks?: unknown } | null)?.tasks;
  if (Array.isArray(tasks) && tasks.length > IMPORT_MAX_TASKS) throw tooManyTasks(tasks.length);
  const parsed = importDocument.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 50).map((i) => ({
      path: i.path.join('.') || 'body',
      message: i.message,
    }));
    const detail = `The body is not a ${EXPORT_FORMAT} document this server reads.`;
    // As for any request: 422 when it breaks only rules the OpenAPI document cannot state (a zone the tz
    // database lacks, a date that does not exist), 400 when it breaks the document.
    const unprocessable = parsed.error.issues.every(
      (i) => (i as { params?: { unprocessable?: boolean } }).params?.unprocessable === true,
    );
    throw unprocessable ? new ValidationError(detail, errors) : new BadRequestError(detail, errors);
  }
  return {
    source: 'todo-export',
    skipped: [],
    projects: parsed.data.projects.map((p, i) => ({
      line: i + 1,
      sourceId: p.id,
      name: p.name,
      color: p.color,
      parentKey: p.parentId,
      archived: p.archived,
      inbox: p.inbox,
    })),
    drafts: parsed.data.tasks.map((t, i) => ({
      line: i + 1,
      sourceId: t.id,
      title: t.title,
      description: t.description,
      priority: t.priority,
      tags: t.tags,
      dueAt: t.dueAt,
      timeZone: t.timeZone,
      reminders: t.reminders,
      recurrence: t.recurrence,
      completed: t.completed,
      completedAt: t.completedAt,
      seriesKey: t.seriesId,
      seriesStart: t.seriesStart,
      occurrence: t.occurrence,
      parentKey: t.parentId,
      projectKey: t.projectId,
      ...(t.order ? { order: t.order } : {}),
      ...(t.createdAt ? { createdAt: t.createdAt } : {}),
      ...(t.updatedAt ? { updatedAt: t.updatedAt } : {}),
    })),
  };
}
