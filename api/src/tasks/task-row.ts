import { PRIORITIES, type Reminder, type Task } from '@todo/contract';

/** A task's stored columns, as PostgreSQL returns them. */
export interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string;
  completed: boolean;
  completed_at: Date | null;
  priority: number;
  tags: string[];
  due_at: Date | null;
  time_zone: string;
  reminders: Reminder[];
  recurrence_rule: string | null;
  recurrence_from: 'due' | 'completion' | null;
  series_id: string | null;
  project_id: string;
  assignee_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  occurrence: number;
  /** The series anchor as local wall-clock text (see @todo/recurrence series-anchor). */
  series_start: string | null;
  parent_id: string | null;
  sort_order: string;
}

export const TASK_COLUMNS =
  'id, user_id, title, description, completed, completed_at, priority, tags, due_at, time_zone, reminders, recurrence_rule, recurrence_from, series_id, project_id, assignee_id, created_at, updated_at, version, occurrence, to_char(series_start, \'YYYY-MM-DD"T"HH24:MI:SS\') AS series_start, parent_id, sort_order';

/** Rows a read may see: a task in the Trash is found only by the Trash's own routes. */
export const LIVE = 'deleted_at IS NULL';

/** The values a write sets; the repository never decides business rules. */
export interface TaskValues {
  title: string;
  description: string;
  priority: Task['priority'];
  tags: string[];
  dueAt: string | null;
  timeZone: string;
  reminders: Reminder[];
  recurrence: Task['recurrence'];
  seriesId: string | null;
  /** Local wall-clock time of the series' first occurrence (DTSTART), e.g. "2027-03-12T02:30:00". */
  seriesStart: string | null;
  /** A member of the task's project, or null. */
  assigneeId: string | null;
}

/** The stored task: the public shape plus its owner, its position in a recurring series and its anchor. */
export function toTask(
  row: TaskRow,
): Task & { userId: string; occurrence: number; seriesStart: string | null } {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    completedAt: row.completed_at?.toISOString() ?? null,
    priority: PRIORITIES[row.priority] ?? 'none',
    tags: row.tags,
    dueAt: row.due_at?.toISOString() ?? null,
    timeZone: row.time_zone,
    reminders: row.reminders,
    recurrence: row.recurrence_rule
      ? { rule: row.recurrence_rule, from: row.recurrence_from ?? 'due' }
      : null,
    seriesId: row.series_id,
    projectId: row.project_id,
    assigneeId: row.assignee_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
    parentId: row.parent_id,
    order: row.sort_order,
    occurrence: row.occurrence,
    seriesStart: row.series_start,
  };
}

export type StoredTask = ReturnType<typeof toTask>;

/**
 * The fields of a stored task (or of its event) that stay inside the server: its owner, its place in a
 * series and the anchor, who made an event and who it is for, and which ancestor a subtask recurs with.
 */
type Internal = Partial<Pick<StoredTask, 'userId' | 'occurrence' | 'seriesStart'>> & {
  audience?: unknown;
  actorId?: unknown;
  recursWith?: unknown;
  recipients?: unknown;
};

/** What a client sees of a task, or of a live update holding one (REST answers and `/stream` alike). */
export function publicView<T extends Internal>({
  userId: _owner,
  occurrence: _occurrence,
  seriesStart: _anchor,
  audience: _audience,
  actorId: _actor,
  recursWith: _recursWith,
  recipients: _recipients,
  ...rest
}: T): Omit<T, keyof Internal> {
  return rest;
}

/** The statement parameters of a write's values, in the column order the repository's statements use. */
export function valueParams(v: TaskValues): unknown[] {
  return [
    v.title,
    v.description,
    PRIORITIES.indexOf(v.priority),
    v.tags,
    v.dueAt,
    v.timeZone,
    JSON.stringify(v.reminders),
    v.recurrence?.rule ?? null,
    v.recurrence?.from ?? null,
    v.seriesId,
    v.seriesStart,
    v.assigneeId,
  ];
}
