import { randomUUID } from 'node:crypto';
import { IMPORT_MAX_TASKS, type ImportResult } from '@todo/contract';
import { seriesAnchorAt } from '@todo/recurrence';
import { access } from '../access/access.js';
import type { Database } from '../db/database.js';
import { enqueue, type OutboxEntry } from '../events/outbox.js';
import { AppError, ValidationError } from '../http/errors.js';
import { isOrderKey, newOrderKey } from '../tasks/order-keys.js';
import { checkTaskRules, type TaskChange, type TaskChangeRecorder } from '../tasks/task.service.js';
import type { StoredTask, TaskValues } from '../tasks/task-row.js';
import type { ImportDraft, ImportPlan, SkippedItem } from './import-plan.js';
import { importProjects, type ProjectPlacement } from './import-projects.js';
import { placeInTree } from './import-tree.js';
import { portabilityRepository } from './portability.repository.js';

/** A file with more than IMPORT_MAX_TASKS tasks: refused whole, nothing written. */
export class ImportTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Content Too Large';
}

export function tooManyTasks(count: number): ImportTooLargeError {
  return new ImportTooLargeError(
    `The file holds ${count.toLocaleString('en-US')} tasks; an import takes at most ` +
      `${IMPORT_MAX_TASKS.toLocaleString('en-US')}. Split it and import the parts.`,
  );
}

/** Events per outbox statement. */
const EVENT_BATCH = 500;

/** Where an import puts what its file does not place. */
export interface ImportTarget {
  /** The project for tasks the file names no project for (a project the user may write); the Inbox when absent. */
  projectId?: string | undefined;
}

/**
 * Imports a parsed file in one transaction: tasks already imported from the same source (by source id)
 * are left alone, a task the task rules refuse is skipped with the reason, and every task created records
 * its `created` event through the same recorder as any other write (outbox, live stream, activity,
 * reminders). Anything else that fails rolls the whole import back.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly recorder: TaskChangeRecorder,
  ) {}

  async run(userId: string, plan: ImportPlan, target: ImportTarget = {}): Promise<ImportResult> {
    if (plan.drafts.length > IMPORT_MAX_TASKS) throw tooManyTasks(plan.drafts.length);
    const skipped: SkippedItem[] = [...plan.skipped];
    const created = await this.db.transaction(async (tx) => {
      // 404 for a project the user is not a member of, 403 for a viewer's: before anything is written.
      if (target.projectId) await access.requireProject(tx, userId, target.projectId, 'write');
      await portabilityRepository.lockUser(tx, userId);
      const known = await portabilityRepository.knownSourceIds(
        tx,
        userId,
        plan.source,
        plan.drafts.map((d) => d.sourceId),
      );
      const unique: ImportDraft[] = [];
      const seen = new Set<string>();
      for (const draft of plan.drafts) {
        if (seen.has(draft.sourceId)) {
          skipped.push({ line: draft.line, reason: 'the same task appears earlier in the file' });
          continue;
        }
        seen.add(draft.sourceId);
        unique.push(draft);
      }
      // The whole file's trees, so a subtask new since the last import finds its parent imported then.
      const tree = placeInTree(unique);
      skipped.push(...tree.moved);
      const fresh = tree.ordered.filter((d) => !known.has(d.sourceId));
      const projects = await importProjects(tx, userId, plan.source, plan.projects ?? [], skipped);
      const placement = { ...projects, fallback: target.projectId ?? projects.inbox };
      // A parent imported before keeps its subtasks in its project, wherever it has moved since, while the
      // user may still write there and it is not in the Trash.
      const knownParents = fresh.flatMap((d) => {
        const parent = tree.parentOf.get(d.sourceId);
        const id = parent ? known.get(parent) : undefined;
        return id ? [id] : [];
      });
      const writable = await access.taskIds(tx, userId, knownParents, 'write');
      const knownProjects = await portabilityRepository.liveProjectsOf(tx, [...writable]);
      const tasks = this.toTasks(
        userId,
        placement,
        fresh,
        { known, knownProjects, parentOf: tree.parentOf },
        skipped,
      );
      await portabilityRepository.insertTasks(tx, plan.source, tasks);
      const changes: TaskChange[] = tasks.map(({ task }) => ({ kind: 'created', task }));
      const messages: OutboxEntry[] = [];
      for (const change of changes) {
        if (this.recorder.needsMoreWrites(change)) await this.recorder.record(tx, change);
        else messages.push(...this.recorder.messages(change));
      }
      for (let i = 0; i < messages.length; i += EVENT_BATCH) {
        await enqueue(tx, messages.slice(i, i + EVENT_BATCH));
      }
      return { projects: projects.created, tasks: tasks.length };
    });
    skipped.sort((a, b) => a.line - b.line);
    return { created, skipped };
  }

  /**
   * Drafts (parents first) → stored tasks with fresh ids; a draft the task rules refuse is skipped with their
   * reasons, and its subtasks come in at the top level. A parent is a task of this import or one imported before.
   */
  private toTasks(
    userId: string,
    projects: ProjectPlacement & { fallback: string },
    drafts: readonly ImportDraft[],
    tree: {
      known: ReadonlyMap<string, string>;
      /** The project of each known parent task still live, by task id. */
      knownProjects: ReadonlyMap<string, string>;
      parentOf: ReadonlyMap<string, string | null>;
    },
    skipped: SkippedItem[],
  ) {
    const now = new Date().toISOString();
    // A series keeps together: the new id of the task that named it, or one fresh id per series.
    const idOf = new Map(drafts.map((d) => [d.sourceId, randomUUID()]));
    const seriesIds = new Map<string, string>();
    const seriesIdFor = (key: string) => {
      let id = seriesIds.get(key) ?? idOf.get(key);
      if (!id) id = randomUUID();
      seriesIds.set(key, id);
      return id;
    };
    const created = new Set<string>();
    const parentIdOf = (draft: ImportDraft): string | null => {
      const parent = tree.parentOf.get(draft.sourceId);
      if (!parent) return null;
      const known = tree.known.get(parent);
      const id = created.has(parent)
        ? idOf.get(parent)
        : known && tree.knownProjects.has(known)
          ? known
          : undefined;
      if (!id) {
        const reason = known
          ? 'its parent, imported before, is in the Trash or no longer yours to change'
          : 'its parent was not imported';
        skipped.push({ line: draft.line, reason: `${reason}: imported at the top level` });
      }
      return id ?? null;
    };
    // A subtask is in its parent's project; other tasks in the project the file names, or the import's
    // target (the Inbox unless the request names a project).
    const projectOf = new Map<string, string>();
    const projectIdFor = (draft: ImportDraft, parentId: string | null): string => {
      const parent = tree.parentOf.get(draft.sourceId);
      const parentProject =
        parentId && parent ? (projectOf.get(parent) ?? tree.knownProjects.get(parentId)) : undefined;
      if (parentProject) return parentProject;
      if (!draft.projectKey) return projects.fallback;
      const id = projects.idOf.get(draft.projectKey);
      if (!id)
        skipped.push({ line: draft.line, reason: 'its project is not in the file: imported into the Inbox' });
      return id ?? projects.inbox;
    };
    const out: { task: StoredTask; sourceId: string }[] = [];
    for (const draft of drafts) {
      const id = idOf.get(draft.sourceId)!;
      let checked: TaskValues;
      try {
        checked = checkTaskRules({
          title: draft.title,
          description: draft.description,
          priority: draft.priority,
          tags: draft.tags,
          dueAt: draft.dueAt,
          timeZone: draft.timeZone,
          reminders: draft.reminders,
          recurrence: draft.recurrence,
          seriesId: null,
          seriesStart: null,
          assigneeId: null,
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const why = (err.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ');
        skipped.push({ line: draft.line, reason: `not imported: ${why || err.message}` });
        continue;
      }
      const inSeries = draft.seriesKey ?? (checked.recurrence ? draft.sourceId : null);
      const seriesStart =
        checked.recurrence && checked.dueAt
          ? (draft.seriesStart ?? seriesAnchorAt(new Date(checked.dueAt), checked.timeZone))
          : null;
      const completed = draft.completed;
      const parentId = parentIdOf(draft);
      const projectId = projectIdFor(draft, parentId);
      created.add(draft.sourceId);
      projectOf.set(draft.sourceId, projectId);
      out.push({
        sourceId: draft.sourceId,
        task: {
          id,
          userId,
          projectId,
          ...checked,
          seriesId: inSeries ? seriesIdFor(inSeries) : null,
          seriesStart,
          completed,
          completedAt: completed ? (draft.completedAt ?? now) : null,
          createdAt: draft.createdAt ?? now,
          updatedAt: draft.updatedAt ?? draft.createdAt ?? now,
          version: 1,
          parentId,
          order: draft.order !== undefined && isOrderKey(draft.order) ? draft.order : newOrderKey(),
          occurrence: draft.occurrence ?? 1,
        },
      });
    }
    return out;
  }
}
