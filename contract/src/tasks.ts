import { z } from 'zod';
import { cursor, dateTime, timeZone } from './date-time.js';
import { decimalInteger } from './decimal-integer.js';
import { PRIORITIES } from './priorities.js';
import { userId } from './projects.js';
import {
  description,
  recurrence,
  recurrenceInput,
  reminder,
  reminderInput,
  tag,
  tags,
  title,
} from './task-fields.js';
import { text } from './text.js';
import { wholeStringPattern } from './whole-string-pattern.js';

const reminders = z.array(reminderInput).max(10, 'at most 10 reminders');

/** How deep subtasks nest: a top-level task is level 1, its subtasks level 2, down to this level. */
export const MAX_TASK_LEVELS = 4;

const taskId = z.uuid('must be a task id (UUID)');

export const createTaskBody = z
  .strictObject({
    title,
    description: description.default(''),
    priority: z.enum(PRIORITIES).default('none'),
    tags: tags.default([]),
    dueAt: dateTime.nullable().default(null),
    timeZone: timeZone.default('UTC'),
    reminders: reminders.default([]),
    recurrence: recurrenceInput.nullable().default(null),
    parentId: taskId
      .nullable()
      .default(null)
      .meta({ description: `The parent task (a subtask); at most ${MAX_TASK_LEVELS} levels` }),
    projectId: z
      .uuid('must be a project id (UUID)')
      .optional()
      .meta({ description: "Default: the caller's Inbox" }),
    assigneeId: userId.nullable().default(null).meta({ description: 'A member of the project, or null' }),
  })
  .meta({ id: 'CreateTask' });
export type CreateTaskInput = z.infer<typeof createTaskBody>;

export const updateTaskBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    priority: z.enum(PRIORITIES).optional(),
    tags: tags.optional(),
    dueAt: dateTime.nullable().optional(),
    timeZone: timeZone.optional(),
    reminders: reminders.optional(),
    recurrence: recurrenceInput.nullable().optional(),
    assigneeId: userId.nullable().optional().meta({ description: 'A member of the project, or null' }),
  })
  .meta({ id: 'UpdateTask' });
export type UpdateTaskInput = z.infer<typeof updateTaskBody>;
/** What a client sends to create or change a task, before the server's defaults. */
export type TaskInput = z.input<typeof updateTaskBody>;

export const task = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    completed: z.boolean(),
    completedAt: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    tags: z.array(z.string()),
    dueAt: z.string().nullable(),
    timeZone: z.string(),
    reminders: z.array(reminder),
    recurrence: recurrence.nullable(),
    seriesId: z.string().nullable(),
    projectId: z.uuid(),
    assigneeId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    parentId: z.uuid().nullable(),
    order: z.string().meta({ description: 'Opaque position among its siblings; `sort=manual` orders by it' }),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof task>;

/** Date views of `GET /tasks`, in the caller's time zone. */
export const TASK_VIEWS = ['today', 'upcoming'] as const;

export const SORTS = ['due', 'priority', 'created', 'updated', 'title', 'manual'] as const;
export type SortField = (typeof SORTS)[number];
const sortValues = SORTS.flatMap((s) => [s, `-${s}`] as const);

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
/** A comma list of the values, spaces or tabs around each and empty elements allowed, at least one value. */
const commaListPattern = (values: readonly string[]) => {
  const value = `[ \\t]*(?:${values.join('|')})[ \\t]*`;
  return wholeStringPattern(`(?:[ \\t]*,)*${value}(?:,(?:${value}|[ \\t]*))*`);
};
const commaList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .regex(commaListPattern(values), `must be a comma-separated list of ${values.join(', ')}`)
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const listTasksQuery = z.strictObject({
  q: text({ max: 200 }).optional(),
  status: z.enum(['open', 'completed', 'all']).default('open'),
  priority: commaList(PRIORITIES).optional(),
  tag: z
    .union([tag, z.array(tag).max(20)])
    .transform((t) => (Array.isArray(t) ? t : [t]))
    .optional(),
  tagMode: z.enum(['any', 'all']).default('any'),
  dueBefore: dateTime.optional(),
  dueAfter: dateTime.optional(),
  overdue: booleanFlag.optional(),
  recurring: booleanFlag.optional(),
  parentId: z
    .union([z.literal('none'), taskId])
    .optional()
    .meta({ description: 'Only the subtasks of this task, or `none`: only top-level tasks' }),
  sort: z.enum(sortValues as [string, ...string[]]).default('due'),
  limit: decimalInteger({ min: 1, max: 200, fallback: 50 }),
  cursor: cursor.optional(),
  projectId: z.uuid('must be a project id (UUID)').optional(),
  assignee: z
    .union([z.literal('me'), userId])
    .optional()
    .meta({ description: '`me` or a user id: only tasks assigned to that user' }),
  view: z.enum(TASK_VIEWS).optional().meta({
    description:
      '`today`: tasks due today and open tasks overdue; `upcoming`: tasks due today or in the 13 days after it (14 calendar days); days are read in `timeZone`',
  }),
  timeZone: timeZone.optional().meta({ description: 'The zone `view` reads days in (default UTC)' }),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

/** One page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const taskPage = z
  .object({ items: z.array(task), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });

export const taskIdParams = z.strictObject({ id: taskId });

/**
 * Where a task goes: to `projectId` (absent: its project stays), under `parentId` (null: the top level;
 * absent: its parent stays, or the top level of another project), right after the sibling `after` and/or right
 * before the sibling `before` (neither: last).
 */
export const moveTaskBody = z
  .strictObject({
    projectId: z.uuid('must be a project id (UUID)').optional().meta({
      description:
        'Another project (the caller must be its editor or owner): the task and its subtasks go there, at the top level unless `parentId` names a task of that project; assignees who are not its members are unassigned',
    }),
    parentId: taskId.nullable().optional(),
    before: taskId.optional(),
    after: taskId.optional(),
  })
  .meta({ id: 'MoveTask' });
export type MoveTaskInput = z.infer<typeof moveTaskBody>;

/** A task in the Trash, and when it was put there (it is purged 30 days later). */
export const trashedTask = task.extend({ deletedAt: z.string() }).meta({ id: 'TrashedTask' });
export type TrashedTask = z.infer<typeof trashedTask>;

/** How long the Trash keeps a task. */
export const TRASH_DAYS = 30;

export const listTrashQuery = z.strictObject({
  limit: decimalInteger({ min: 1, max: 200, fallback: 50 }),
  cursor: cursor.optional(),
});
export type ListTrashQuery = z.infer<typeof listTrashQuery>;

export const trashPage = z
  .object({ items: z.array(trashedTask), nextCursor: z.string().nullable() })
  .meta({ id: 'TrashPage' });

export const tagCount = z.object({ name: z.string(), count: z.number().int() }).meta({ id: 'TagCount' });
export type TagCount = z.infer<typeof tagCount>;
