import { randomUUID } from 'node:crypto';
import { type CloudEvent, TASK_EVENT_TYPES } from '@todo/contract';
import { computeNextOccurrence } from '@todo/recurrence';
import { access } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';
import { newOrderKey } from '../tasks/order-keys.js';
import { taskRepository } from '../tasks/task.repository.js';
import type { TaskChangeRecorder } from '../tasks/task.service.js';
import type { StoredTask } from '../tasks/task-row.js';
import { taskTreeRepository } from '../tasks/task-tree.repository.js';

/** Each occurrence's reminders are its own: fresh ids, and absolute times moved as far as the due date. */
function shiftReminders(reminders: TaskEventData['reminders'], shift: number): TaskEventData['reminders'] {
  return reminders.map((r) => ({
    ...r,
    id: randomUUID(),
    ...(r.remindAt ? { remindAt: new Date(Date.parse(r.remindAt) + shift).toISOString() } : {}),
  }));
}

/**
 * Only the completion of a recurring task on its own (not with a recurring ancestor, see TaskService's
 * recurringAncestors) can start a next occurrence; every other event is acknowledged
 * without a transaction or a `processed_events` row (most completions are of one-off tasks).
 */
export const startsNextOccurrence = (event: CloudEvent): boolean => {
  const data = event.data as { recurrence?: unknown; recursWith?: unknown } | null | undefined;
  return event.type === TASK_EVENT_TYPES.completed && data?.recurrence != null && data.recursWith == null;
};

/**
 * On `todo.task.completed` of a recurring task, creates the next occurrence: a new open task of the same
 * series with the shifted due date. `series_successors` holds one row per completed occurrence, so
 * redelivery, concurrent delivery and complete → reopen → complete all yield one successor (a reopen that
 * takes back an untouched successor clears its row with it: see successor-undo.ts).
 */
export function createNextOccurrence(recorder: TaskChangeRecorder) {
  return async (tx: Queryable, event: CloudEvent): Promise<void> => {
    if (event.type !== TASK_EVENT_TYPES.completed) return;
    const task = event.data as TaskEventData;
    if (typeof task.id !== 'string' || typeof task.userId !== 'string')
      throw new UnprocessableEventError('task event without id or userId');
    // Completed with a recurring ancestor, whose next occurrence copies it: no successor of its own.
    if (!task.recurrence || task.recursWith) return;
    const next = computeNextOccurrence({
      dueAt: task.dueAt,
      timeZone: task.timeZone,
      recurrence: task.recurrence,
      completedAt: task.completedAt ?? event.time,
      occurrenceIndex: task.occurrence ?? 1,
      seriesStart: task.seriesStart,
    });
    if (!next) return;
    const shift = task.dueAt ? Date.parse(next.dueAt) - Date.parse(task.dueAt) : 0;
    // Reopened since (the console's Undo, which may come before this event is applied): no successor. The
    // row lock is the one the reopen takes, so the reopen either sees the successor made here and takes it
    // back (withdrawUntouchedSuccessor) or commits first and is seen here. A task no longer stored still
    // makes its successor, as before.
    const { rows: stored } = await tx.query<{ completed: boolean }>(
      'SELECT completed FROM tasks WHERE id = $1 FOR UPDATE',
      [task.id],
    );
    if (stored[0] && !stored[0].completed) return;
    const successorId = randomUUID();
    const claimed = await tx.query(
      'INSERT INTO series_successors (task_id, successor_id) VALUES ($1, $2) ON CONFLICT (task_id) DO NOTHING',
      [task.id, successorId],
    );
    if (claimed.rowCount === 0) return;
    // The series lives on in its project, assigned as before while the assignee is still a member; a series
    // whose project was deleted in the meantime ends with it.
    // An event written before projects existed names none: its task has been moved to its owner's Inbox.
    const { rows: project } = await tx.query<{ id: string }>(
      'SELECT id FROM projects WHERE id = $1 OR ($1 IS NULL AND id = (SELECT project_id FROM tasks WHERE id = $2))',
      [task.projectId ?? null, task.id],
    );
    const projectId = project[0]?.id;
    if (!projectId) return;
    const assignee =
      task.assigneeId && (await access.members(tx, projectId, [task.assigneeId])).has(task.assigneeId)
        ? task.assigneeId
        : null;
    const successor = await taskRepository.insert(
      tx,
      successorId,
      task.userId,
      {
        title: task.title,
        description: task.description,
        priority: task.priority,
        tags: task.tags,
        dueAt: next.dueAt,
        timeZone: task.timeZone,
        reminders: shiftReminders(task.reminders, shift),
        recurrence: task.recurrence,
        seriesId: task.seriesId ?? task.id,
        seriesStart: next.seriesStart,
        assigneeId: assignee,
      },
      // The next occurrence takes the completed one's place among its siblings.
      { parentId: task.parentId ?? null, order: task.order ?? newOrderKey(), projectId },
      (task.occurrence ?? 1) + 1,
    );
    await recorder.record(tx, { kind: 'created', task: successor });
    await copySubtasks(tx, recorder, task.id, successor, shift);
  };
}

/**
 * Copies the live subtasks of a completed occurrence under its successor, open again, in the same order and
 * shape; due dates and absolute reminders move as far as the parent's due date did.
 */
async function copySubtasks(
  tx: Queryable,
  recorder: TaskChangeRecorder,
  fromId: string,
  successor: StoredTask,
  shiftMs: number,
): Promise<void> {
  const subtree = await taskTreeRepository.liveSubtree(tx, successor.projectId, fromId);
  const copyOf = new Map<string, string>([[fromId, successor.id]]);
  for (const member of subtree.slice(1)) {
    // Read as the owner: the copy is a system write; a subtask the owner can no longer read is not copied.
    const original = (await taskRepository.find(tx, successor.userId, member.id))?.task;
    if (!original?.parentId || !copyOf.has(original.parentId)) continue;
    const id = randomUUID();
    copyOf.set(original.id, id);
    const copy = await taskRepository.insert(
      tx,
      id,
      successor.userId,
      {
        ...original,
        dueAt: original.dueAt && new Date(Date.parse(original.dueAt) + shiftMs).toISOString(),
        reminders: shiftReminders(original.reminders, shiftMs),
      },
      { parentId: copyOf.get(original.parentId)!, order: original.order, projectId: successor.projectId },
    );
    await recorder.record(tx, { kind: 'created', task: copy });
  }
}
