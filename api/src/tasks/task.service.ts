import { randomUUID } from 'node:crypto';
import type {
  CreateTaskInput,
  FieldError,
  ListTasksQuery,
  MoveTaskInput,
  Reminder,
  UpdateTaskInput,
} from '@todo/contract';
import { canonicalTimeZone, parseRecurrenceRule, seriesAnchorAt, validateReminders } from '@todo/recurrence';
import { generateKeyBetween } from 'fractional-indexing';
import { access, type Right, requireRight } from '../access/access.js';
import type { Database, Queryable } from '../db/database.js';
import type { OutboxEntry } from '../events/outbox.js';
import { PreconditionFailedError, ValidationError } from '../http/errors.js';
import { ifMatchAllows, type VersionPrecondition } from '../http/etag.js';
import { Inboxes } from '../projects/inboxes.js';
import { withdrawUntouchedSuccessor } from '../recurrence/successor-undo.js';
import { MAX_ORDER_KEY_LENGTH, newOrderKey, rekeyAround } from './order-keys.js';
import { taskRepository } from './task.repository.js';
import { checkNewParent, checkParent, neighbourKeys } from './task-placement.js';
import type { StoredTask, TaskValues } from './task-row.js';
import { taskTreeRepository } from './task-tree.repository.js';
import { changesNothing } from './unchanged.js';

/**
 * What a write changed, handed to whoever records events for it inside the same transaction: who did it
 * (`actorId`, absent for the system's own writes) and, when the project is going away with it, the users
 * who could see it (`audience`), since its membership will be gone when the event is consumed.
 */
export type TaskChange = (
  | { kind: 'created'; task: StoredTask }
  | { kind: 'updated'; task: StoredTask; previous: StoredTask }
  | {
      kind: 'completed';
      task: StoredTask;
      /**
       * Set on a subtask completed by its ancestor's completion when a recurring task among those completed
       * above it (the ancestor completed, or a subtask completed with it) will copy it into its next
       * occurrence: its own recurrence then makes no successor (one copy, not two).
       */
      recursWith?: string;
    }
  | { kind: 'reopened'; task: StoredTask }
  | { kind: 'deleted'; task: StoredTask }
) & { actorId?: string; audience?: readonly string[] };

/** What a task write records about itself, so the change and its consequences commit or fail together. */
export interface TaskChangeRecorder {
  /** The outbox messages of a change (pure). */
  messages(change: TaskChange): OutboxEntry[];
  /** Whether recording needs writes beyond the outbox messages (the reminder due-queue). */
  needsMoreWrites(change: TaskChange): boolean;
  /** Records everything inside the write's transaction. */
  record(tx: Queryable, change: TaskChange): Promise<void>;
  /**
   * Tells `userId`'s live stream that these tasks are gone for them (they lost access to their project):
   * a `task.deleted` on that user's stream alone, not a deletion of the tasks (nothing on `task-events`).
   */
  recordAccessLost?(tx: Queryable, userId: string, tasks: readonly StoredTask[]): Promise<void>;
}

const recordNothing: TaskChangeRecorder = {
  messages: () => [],
  needsMoreWrites: () => false,
  record: async () => undefined,
};

type ReminderInput = { id?: string | undefined; remindAt?: string | undefined; before?: string | undefined };

/** RFC 3339 in, normalised ISO 8601 UTC out, so equal instants compare equal everywhere. */
const normaliseInstant = (s: string | null): string | null => (s === null ? null : new Date(s).toISOString());

function normaliseReminders(reminders: readonly ReminderInput[]): Reminder[] {
  return reminders.map((r) => ({
    id: r.id ?? randomUUID(),
    ...(r.remindAt !== undefined ? { remindAt: normaliseInstant(r.remindAt)! } : {}),
    ...(r.before !== undefined ? { before: r.before } : {}),
  }));
}

/**
 * Cross-field rules that a schema of one field cannot see, all problems reported at once; returns the
 * values with the rule and zone in canonical form, so equal rules compare and display equal.
 */
export function checkTaskRules(v: TaskValues): TaskValues {
  const errors: FieldError[] = [...validateReminders(v.reminders, v.dueAt)];
  if (new Set(v.reminders.map((r) => r.id)).size !== v.reminders.length) {
    errors.push({ path: 'reminders', message: 'reminder ids must be unique' });
  }
  let recurrence = v.recurrence;
  if (v.recurrence) {
    const parsed = parseRecurrenceRule(v.recurrence.rule);
    if (!parsed.ok) errors.push({ path: 'recurrence.rule', message: parsed.message });
    else recurrence = { ...v.recurrence, rule: parsed.rule };
    if (v.recurrence.from === 'due' && !v.dueAt) {
      errors.push({ path: 'dueAt', message: 'is required for a task that repeats from its due date' });
    }
  }
  if (errors.length) throw new ValidationError('The task is invalid.', errors);
  return { ...v, recurrence, timeZone: canonicalTimeZone(v.timeZone) ?? v.timeZone };
}

/**
 * The series anchor (DTSTART's local time) a task keeps: set where a series starts, and again when an edit
 * of the due date, zone or rule starts it afresh from this task; unchanged otherwise, so a DST gap that
 * moved one occurrence does not move the rest.
 */
function seriesStartFor(v: TaskValues, previous?: StoredTask): string | null {
  if (!v.recurrence || !v.dueAt) return null;
  const unchanged =
    previous !== undefined &&
    previous.dueAt === v.dueAt &&
    previous.timeZone === v.timeZone &&
    previous.recurrence?.rule === v.recurrence.rule &&
    previous.recurrence.from === v.recurrence.from;
  return unchanged ? previous.seriesStart : seriesAnchorAt(new Date(v.dueAt), v.timeZone);
}

/** The change that completes or reopens a task at `now`. */
function completion(current: StoredTask, completed: boolean, now: string, actorId?: string): TaskChange {
  const task: StoredTask = {
    ...current,
    completed,
    completedAt: completed ? now : null,
    updatedAt: now,
    version: current.version + 1,
  };
  return { kind: completed ? 'completed' : 'reopened', task, ...(actorId ? { actorId } : {}) };
}

/**
 * For the subtasks a parent's completion completed (top first), the nearest recurring task completed with
 * them above each (the parent or one of them), by subtask id. That task's next occurrence copies the subtask,
 * reopened, so the subtask's own rule must not make a second copy. The rule: a recurring subtask makes its own
 * successor only when it is completed on its own; completed by an ancestor, it recurs with the nearest
 * recurring ancestor completed with it, or, when none of them recurs, by its own rule as before.
 */
function recurringAncestors(root: StoredTask, completed: readonly StoredTask[]): Map<string, string> {
  const byId = new Map<string, StoredTask>([[root.id, root], ...completed.map((t) => [t.id, t] as const)]);
  const found = new Map<string, string>();
  for (const task of completed) {
    for (let up = task.parentId ? byId.get(task.parentId) : undefined; up; ) {
      if (up.recurrence) {
        found.set(task.id, up.id);
        break;
      }
      up = up.parentId ? byId.get(up.parentId) : undefined;
    }
  }
  return found;
}

/** Optimistic writes that lose the race this many times in a row then wait for the row lock instead. */
const OPTIMISTIC_ATTEMPTS = 3;

/** Business rules for tasks: validation beyond shape, optimistic concurrency, series bookkeeping. */
export class TaskService {
  private readonly inboxes: Inboxes;

  constructor(
    private readonly db: Database,
    private readonly recorder: TaskChangeRecorder = recordNothing,
  ) {
    this.inboxes = new Inboxes(db);
  }

  /** Refuses an assignee who is not a member of the project (422). */
  private async requireAssignable(db: Queryable, projectId: string, assigneeId: string | null | undefined) {
    if (!assigneeId) return;
    if (!(await access.members(db, projectId, [assigneeId])).has(assigneeId)) {
      throw new ValidationError("The assignee must be a member of the task's project.", [
        { path: 'assigneeId', message: 'is not a member of the project' },
      ]);
    }
  }

  /**
   * The project a new task goes to: the one named (the caller must write it), else its parent's, else the
   * caller's Inbox (which needs no check: its owner is its only member).
   */
  private async projectForNew(userId: string, input: CreateTaskInput): Promise<string> {
    if (input.parentId !== null) {
      // A parent the caller cannot see is refused like one that does not exist (the placement rules' 422).
      const found = await taskRepository.find(this.db, userId, input.parentId);
      if (!found) {
        throw new ValidationError('The parent task is invalid.', [
          { path: 'parentId', message: 'is not one of your tasks' },
        ]);
      }
      const parent = found.task;
      requireRight(found.role, 'write', `Task ${input.parentId}`);
      if (input.projectId !== undefined && input.projectId !== parent.projectId) {
        throw new ValidationError("A subtask is in its parent's project.", [
          { path: 'projectId', message: "is not the parent task's project" },
        ]);
      }
      return parent.projectId;
    }
    if (input.projectId === undefined) return this.inboxes.of(userId);
    await access.requireProject(this.db, userId, input.projectId, 'write');
    return input.projectId;
  }

  /** A live task the user has `right` on: 404 when it does not exist or the user is no member, 403 lacking the right. */
  private async read(db: Queryable, userId: string, id: string, right: Right, forUpdate = false) {
    const found = await taskRepository.find(db, userId, id, forUpdate);
    requireRight(found?.role, right, `Task ${id}`);
    return found!.task;
  }

  async create(userId: string, input: CreateTaskInput): Promise<StoredTask> {
    const projectId = await this.projectForNew(userId, input);
    if (input.assigneeId !== userId || input.projectId !== undefined || input.parentId !== null) {
      await this.requireAssignable(this.db, projectId, input.assigneeId);
    }
    const id = randomUUID();
    const values: TaskValues = {
      title: input.title,
      description: input.description,
      priority: input.priority,
      tags: input.tags,
      dueAt: normaliseInstant(input.dueAt),
      timeZone: input.timeZone,
      reminders: normaliseReminders(input.reminders),
      recurrence: input.recurrence,
      // The first task of a series names the series.
      seriesId: input.recurrence ? id : null,
      seriesStart: null,
      assigneeId: input.assigneeId,
    };
    const checked = checkTaskRules(values);
    checked.seriesStart = seriesStartFor(checked);
    const now = new Date().toISOString();
    const draft: StoredTask = {
      id,
      userId,
      projectId,
      ...checked,
      completed: false,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      parentId: input.parentId,
      order: newOrderKey(),
      occurrence: 1,
    };
    const change: TaskChange = { kind: 'created', task: draft, actorId: userId };
    if (draft.parentId !== null) return this.createSubtask(draft);
    // The common case is one statement (row + events): on this kind of machine round trips dominate a write.
    if (!this.recorder.needsMoreWrites(change)) {
      const messages = this.recorder.messages(change);
      await taskRepository.insertWithMessages(this.db, draft, messages);
      return draft;
    }
    return this.db.transaction(async (tx) => {
      const task = await taskRepository.insert(tx, id, userId, checked, draft);
      await this.recorder.record(tx, { kind: 'created', task, actorId: userId });
      return task;
    });
  }

  /** A new subtask: its parent must be a live task of the same owner with room for one more level below it. */
  private async createSubtask(draft: StoredTask): Promise<StoredTask> {
    return this.db.transaction(async (tx) => {
      await taskTreeRepository.lock(tx, draft.projectId);
      await checkParent(tx, draft.projectId, draft.parentId!, 1);
      const task = await taskRepository.insert(tx, draft.id, draft.userId, draft, draft);
      await this.recorder.record(tx, { kind: 'created', task, actorId: draft.userId });
      return task;
    });
  }

  async get(userId: string, id: string): Promise<StoredTask> {
    return this.read(this.db, userId, id, 'read');
  }

  /** One page of the user's tasks, already serialised as the response body. */
  listPageJson(userId: string, query: ListTasksQuery): Promise<string> {
    return taskRepository.listPageJson(this.db, userId, query);
  }

  /** Applies a partial update; with `ifMatch`, only if the task's current version satisfies it. */
  async update(
    userId: string,
    id: string,
    input: UpdateTaskInput,
    ifMatch?: VersionPrecondition,
  ): Promise<StoredTask> {
    if (input.assigneeId) {
      const current = await this.read(this.db, userId, id, 'write');
      if (input.assigneeId !== current.assigneeId) {
        await this.requireAssignable(this.db, current.projectId, input.assigneeId);
      }
    }
    return this.writeOver(userId, id, (previous) => {
      if (!ifMatchAllows(ifMatch, previous.version)) {
        throw new PreconditionFailedError(
          `Task ${id} is at version ${previous.version}, which If-Match does not name.`,
        );
      }
      const recurrence = input.recurrence === undefined ? previous.recurrence : input.recurrence;
      const values: TaskValues = {
        title: input.title ?? previous.title,
        description: input.description ?? previous.description,
        priority: input.priority ?? previous.priority,
        tags: input.tags ?? previous.tags,
        dueAt: input.dueAt === undefined ? previous.dueAt : normaliseInstant(input.dueAt),
        timeZone: input.timeZone ?? previous.timeZone,
        reminders: input.reminders ? normaliseReminders(input.reminders) : previous.reminders,
        recurrence,
        seriesId: previous.seriesId ?? (recurrence ? id : null),
        seriesStart: previous.seriesStart,
        assigneeId: input.assigneeId === undefined ? previous.assigneeId : input.assigneeId,
      };
      const checked = checkTaskRules(values);
      checked.seriesStart = seriesStartFor(checked, previous);
      if (changesNothing(checked, previous)) return undefined;
      const task = {
        ...previous,
        ...checked,
        updatedAt: new Date().toISOString(),
        version: previous.version + 1,
      };
      return { kind: 'updated', task, previous, actorId: userId };
    });
  }

  /**
   * Completing is idempotent: completing a completed task returns it unchanged and records nothing. Completing
   * a parent completes its open subtasks too, one event each, in the same transaction.
   */
  async complete(userId: string, id: string): Promise<StoredTask> {
    const current = await taskRepository.find(this.db, userId, id);
    requireRight(current?.role, 'write', `Task ${id}`);
    if (!current!.hasSubtasks) return this.setCompleted(userId, id, true, current!.task);
    return this.db.transaction(async (tx) => {
      const parent = await this.read(tx, userId, id, 'write', true);
      if (parent.completed) return parent;
      const now = new Date().toISOString();
      const change = completion(parent, true, now, userId);
      await this.replace(change, parent.version, tx);
      const subtasks = await taskTreeRepository.completeOpenDescendants(tx, parent.projectId, id, now);
      const copiedWith = recurringAncestors(parent, subtasks);
      for (const subtask of subtasks) {
        const recursWith = copiedWith.get(subtask.id);
        await this.recorder.record(tx, {
          kind: 'completed',
          task: subtask,
          actorId: userId,
          ...(recursWith ? { recursWith } : {}),
        });
      }
      return change.task;
    });
  }

  /**
   * Reopening is idempotent like completing, and undoes a completion (the console's Undo), in one transaction:
   * the subtasks that completion completed are reopened with it, one event each (those completed on their
   * own stay done), and for an occurrence of a series the next occurrence its completion made is taken back
   * while nobody has touched it (`withdrawUntouchedSuccessor`). A one-off task without subtasks is one
   * statement as before.
   */
  async reopen(userId: string, id: string): Promise<StoredTask> {
    const current = await taskRepository.find(this.db, userId, id);
    requireRight(current?.role, 'write', `Task ${id}`);
    if (current!.task.seriesId === null && !current!.hasSubtasks)
      return this.setCompleted(userId, id, false, current!.task);
    return this.db.transaction(async (tx) => {
      const task = await this.read(tx, userId, id, 'write', true);
      if (!task.completed) return task;
      const now = new Date().toISOString();
      const change = completion(task, false, now, userId);
      await this.replace(change, task.version, tx);
      if (task.completedAt) {
        const subtasks = await taskTreeRepository.reopenCompletedWith(
          tx,
          task.projectId,
          id,
          task.completedAt,
          now,
        );
        for (const subtask of subtasks)
          await this.recorder.record(tx, { kind: 'reopened', task: subtask, actorId: userId });
      }
      if (task.seriesId !== null) await withdrawUntouchedSuccessor(tx, this.recorder, id, userId);
      return change.task;
    });
  }

  private setCompleted(
    userId: string,
    id: string,
    completed: boolean,
    read?: StoredTask,
  ): Promise<StoredTask> {
    return this.writeOver(
      userId,
      id,
      (current) =>
        current.completed === completed
          ? undefined
          : completion(current, completed, new Date().toISOString(), userId),
      read,
    );
  }

  /**
   * Every change to an existing task: read it, let `decide` turn it into the change to record (undefined:
   * nothing to write, answer it as it is), and write the change over the version read, in one statement
   * with its events (two round trips, no lock held between them). A write that loses the race reads again
   * and decides afresh (so If-Match is checked against what is current); after OPTIMISTIC_ATTEMPTS losses
   * it takes the row lock, so it always ends.
   */
  private async writeOver(
    userId: string,
    id: string,
    decide: (current: StoredTask) => TaskChange | undefined,
    firstRead?: StoredTask,
  ): Promise<StoredTask> {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const current = attempt === 0 && firstRead ? firstRead : await this.read(this.db, userId, id, 'write');
      const change = decide(current);
      if (!change) return current;
      if (await this.replace(change, current.version)) return change.task;
    }
    return this.db.transaction(async (tx) => {
      const current = await this.read(tx, userId, id, 'write', true);
      const change = decide(current);
      if (!change) return current;
      await this.replace(change, current.version, tx);
      return change.task;
    });
  }

  /**
   * Writes a change's task over `expectedVersion` with its events: one statement when recording needs no
   * other writes, else a transaction: `tx`, the caller's, if given. False when another write came first;
   * then nothing was written.
   */
  private async replace(change: TaskChange, expectedVersion: number, tx?: Queryable): Promise<boolean> {
    if (!this.recorder.needsMoreWrites(change)) {
      const messages = this.recorder.messages(change);
      return taskRepository.replaceWithMessages(tx ?? this.db, change.task, expectedVersion, messages);
    }
    const write = async (q: Queryable) => {
      if (!(await taskRepository.replaceWithMessages(q, change.task, expectedVersion, []))) return false;
      await this.recorder.record(q, change);
      return true;
    };
    return tx ? write(tx) : this.db.transaction(write);
  }

  /**
   * Moves a task (and so its subtree) under another parent and/or between two siblings: one row written, its
   * order key between its new neighbours'. Moves of one owner's tree are serialised, so a depth or cycle
   * check holds until the move commits. Unchanged (already there): nothing written, no event.
   */
  async move(
    userId: string,
    id: string,
    input: MoveTaskInput,
    ifMatch?: VersionPrecondition,
  ): Promise<StoredTask> {
    const first = await this.read(this.db, userId, id, 'write');
    const target = input.projectId ?? first.projectId;
    if (target !== first.projectId) await access.requireProject(this.db, userId, target, 'write');
    return this.db.transaction(async (tx) => {
      await taskTreeRepository.lock(tx, first.projectId, target);
      const current = await this.read(tx, userId, id, 'write', true);
      // Moved to another project since the first read: that project's tree must hold still too.
      if (current.projectId !== first.projectId) await taskTreeRepository.lock(tx, current.projectId);
      if (!ifMatchAllows(ifMatch, current.version)) {
        throw new PreconditionFailedError(
          `Task ${id} is at version ${current.version}, which If-Match does not name.`,
        );
      }
      const crossing = target !== current.projectId;
      // A task moved to another project without a parent there goes to its top level.
      const parentId = input.parentId !== undefined ? input.parentId : crossing ? null : current.parentId;
      if (parentId !== null && (crossing || parentId !== current.parentId)) {
        await checkNewParent(tx, current.projectId, id, parentId, target);
      }
      const bounds = await neighbourKeys(tx, target, id, parentId, input);
      const inPlace =
        !crossing &&
        parentId === current.parentId &&
        (bounds.lower === null || current.order > bounds.lower) &&
        (bounds.upper === null || current.order < bounds.upper);
      if (inPlace) return current;
      let order = generateKeyBetween(bounds.lower, bounds.upper);
      const now = new Date().toISOString();
      // Too long (hundreds of moves into one gap): the siblings around the gap get fresh keys with it, each
      // an update event like any change of order, in this transaction (the tree lock holds other moves off).
      const rekeyed: { previous: StoredTask; task: StoredTask }[] = [];
      if (order.length > MAX_ORDER_KEY_LENGTH) {
        const siblings = await taskTreeRepository.siblingKeys(tx, target, parentId, id);
        const keys = rekeyAround(siblings, id, bounds.lower);
        order = keys.find((k) => k.id === id)!.order;
        rekeyed.push(
          ...(await taskTreeRepository.rekey(
            tx,
            target,
            keys.filter((k) => k.id !== id),
            now,
          )),
        );
      }
      // The descendants go first, while the walk still finds their root in its old project.
      const previous = crossing ? await taskTreeRepository.liveDescendants(tx, current.projectId, id) : [];
      const descendants = crossing
        ? await taskTreeRepository.moveDescendants(tx, current.projectId, id, target, now)
        : [];
      const moved = await taskTreeRepository.place(tx, id, { projectId: target, parentId, order }, now);
      await this.recorder.record(tx, { kind: 'updated', task: moved, previous: current, actorId: userId });
      for (const { task, previous } of rekeyed) {
        await this.recorder.record(tx, { kind: 'updated', task, previous, actorId: userId });
      }
      const before = new Map(previous.map((d) => [d.id, d]));
      for (const task of descendants) {
        await this.recorder.record(tx, {
          kind: 'updated',
          task,
          previous: before.get(task.id)!,
          actorId: userId,
        });
      }
      return moved;
    });
  }

  /**
   * Puts every live task of a project that is being deleted into the Trash, inside the caller's transaction,
   * each recorded as a deletion (`audience`: who could see them, as the project's members go with it). The
   * project's tasks, and those already in its Trash, move to the Inbox of the owner deleting it (`inboxId`),
   * so they stay restorable for 30 days like any deleted task, and come back there. Each event names the
   * deleted project, as the task was when deleted, so every member's console drops it.
   */
  async trashProjectTasks(
    tx: Queryable,
    projectId: string,
    inboxId: string,
    actorId: string,
    audience: readonly string[],
  ) {
    await taskTreeRepository.lock(tx, projectId, inboxId);
    const trashed = await taskTreeRepository.trashProject(
      tx,
      projectId,
      inboxId,
      actorId,
      new Date().toISOString(),
    );
    for (const task of trashed) {
      await this.recorder.record(tx, { kind: 'deleted', task: { ...task, projectId }, actorId, audience });
    }
  }

  /**
   * Tells a user who has just left a project (or was removed) that its live tasks are gone for them, inside
   * the caller's transaction: a `task.deleted` each on that user's stream only, so open consoles drop them.
   */
  async forgetProjectFor(tx: Queryable, projectId: string, userId: string) {
    if (!this.recorder.recordAccessLost) return;
    await this.recorder.recordAccessLost(tx, userId, await taskRepository.liveInProject(tx, projectId));
  }

  /** Unassigns a user leaving a project from its tasks, inside the caller's transaction, one update event each. */
  async unassignInProject(tx: Queryable, projectId: string, assigneeId: string, actorId: string) {
    const now = new Date().toISOString();
    for (const previous of await taskRepository.assignedIn(tx, projectId, assigneeId)) {
      const task = { ...previous, assigneeId: null, updatedAt: now, version: previous.version + 1 };
      await taskRepository.replaceWithMessages(tx, task, previous.version, []);
      await this.recorder.record(tx, { kind: 'updated', task, previous, actorId });
    }
  }

  dated(userId: string) {
    return taskRepository.dated(this.db, userId);
  }

  tags(userId: string) {
    return taskRepository.tagCounts(this.db, userId);
  }
}
