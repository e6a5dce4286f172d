import {
  createTaskBody,
  type FieldError,
  listNotificationsQuery,
  listTasksQuery,
  notificationList,
  OAUTH_SCOPES,
  type OAuthScope,
  reminderInput,
  task,
  taskIdParams,
  taskPage,
  updateTaskBody,
} from '@todo/contract';
import { z } from 'zod';
import { ValidationError } from '../http/errors.js';

/** What an OAuth token may be granted (the contract's scopes); a session token has both. */
export const SCOPES = OAUTH_SCOPES;
export type Scope = OAuthScope;

/** MCP tool annotations, all four stated (the spec's defaults assume a destructive, open-world tool). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * A task tool as every transport describes it: MCP over HTTP and stdio, and the chat's planners. Its input is
 * the REST API's own zod schema; only how it runs differs (the API's services, or a REST call).
 */
export interface ToolDefinition<I extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  /** The result's shape (an object, as MCP's structured content must be). */
  output: z.ZodType;
  /**
   * The input is a query string's schema (`GET /tasks`): numbers and booleans, which a JSON caller sends as
   * such, are read as the text a query string would carry.
   */
  queryShaped?: boolean;
  annotations: ToolAnnotations;
  /** The scope an OAuth token needs to call it. */
  scope: Scope;
}

const reads = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const writes = (destructive: boolean, idempotent: boolean): ToolAnnotations => ({
  readOnlyHint: false,
  destructiveHint: destructive,
  idempotentHint: idempotent,
  openWorldHint: false,
});

/** `{ id }` and the fields of a body, as one argument object. */
const withTaskId = <S extends z.ZodRawShape>(shape: S) => z.strictObject({ ...taskIdParams.shape, ...shape });

const taskSearch = listTasksQuery
  .pick({ q: true, status: true, tag: true, projectId: true, sort: true, limit: true, cursor: true })
  .required({ q: true });

export const trashedResult = z.object({ id: z.uuid(), trashed: z.literal(true) });

export const addTask = {
  name: 'add_task' as const,
  title: 'Add a task',
  description:
    "Creates a task in the user's Inbox, or in `projectId` (an editor's or owner's project), or under `parentId` as a subtask. " +
    'Dates are RFC 3339 with an offset; `recurrence.rule` is an RFC 5545 RRULE; reminders are `{remindAt}` or `{before}` (an ISO 8601 duration before `dueAt`).',
  input: z.strictObject(createTaskBody.shape),
  output: task,
  annotations: writes(false, false),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const listTasks = {
  name: 'list_tasks' as const,
  title: 'List tasks',
  description:
    "Lists the user's tasks (open ones by default) with every filter of GET /tasks: status, priority (comma list), tag (with tagMode), " +
    'dueBefore/dueAfter, overdue, recurring, parentId, projectId, assignee, view (today or upcoming, in timeZone), sort, and paging (limit, cursor = the previous nextCursor).',
  input: listTasksQuery,
  output: taskPage,
  queryShaped: true,
  annotations: reads,
  scope: 'tasks:read',
} satisfies ToolDefinition;

export const searchTasks = {
  name: 'search_tasks' as const,
  title: 'Search tasks',
  description:
    "Finds the user's tasks matching every word of `q` (words as prefixes: `gro` finds groceries) in their text; open ones unless `status` says otherwise.",
  input: taskSearch,
  output: taskPage,
  queryShaped: true,
  annotations: reads,
  scope: 'tasks:read',
} satisfies ToolDefinition;

export const updateTask = {
  name: 'update_task' as const,
  title: 'Update a task',
  description:
    'Changes the given fields of task `id` and keeps the others; `tags` and `reminders` replace the whole list, null clears `dueAt`, `recurrence` or `assigneeId`.',
  input: withTaskId(updateTaskBody.shape),
  output: task,
  annotations: writes(true, true),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const completeTask = {
  name: 'complete_task' as const,
  title: 'Complete a task',
  description:
    'Marks task `id` done, with its open subtasks; a recurring task gets its next occurrence. Completing a completed task changes nothing.',
  input: taskIdParams,
  output: task,
  annotations: writes(false, true),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const reopenTask = {
  name: 'reopen_task' as const,
  title: 'Reopen a task',
  description: 'Marks task `id` open again. Reopening an open task changes nothing.',
  input: taskIdParams,
  output: task,
  annotations: writes(false, true),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const deleteTask = {
  name: 'delete_task' as const,
  title: 'Delete a task',
  description:
    'Moves task `id` and its subtasks to the Trash, where they stay 30 days (restorable from the app) before they are purged.',
  input: taskIdParams,
  output: trashedResult,
  annotations: writes(true, true),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const setReminder = {
  name: 'set_reminder' as const,
  title: 'Set a reminder',
  description:
    'Adds a reminder to task `id`, keeping its others (at most 10): `{remindAt}` an RFC 3339 time, or `{before}` an ISO 8601 duration before the due date (such as PT15M; the task needs a `dueAt`).',
  input: withTaskId({ reminder: reminderInput }),
  output: task,
  annotations: writes(false, false),
  scope: 'tasks:write',
} satisfies ToolDefinition;

export const listNotifications = {
  name: 'list_notifications' as const,
  title: 'List notifications',
  description: "The user's newest in-app notifications (due reminders, assignments) and how many are unread.",
  input: listNotificationsQuery,
  output: notificationList,
  queryShaped: true,
  annotations: reads,
  scope: 'tasks:read',
} satisfies ToolDefinition;

/** Every task tool, in the order clients list them. */
export const TOOL_DEFINITIONS = [
  addTask,
  listTasks,
  searchTasks,
  updateTask,
  completeTask,
  reopenTask,
  deleteTask,
  setReminder,
  listNotifications,
] as const;

export type ToolName = (typeof TOOL_DEFINITIONS)[number]['name'];
/** The arguments a tool's handler receives, after its schema read them. */
export type ToolArguments<D extends ToolDefinition> = z.output<D['input']>;

/**
 * A zod schema as the JSON Schema (2020-12) of an MCP tool's input or output: an object at the top, its
 * named parts (Task …) under `$defs`. `input` describes what a caller sends (before defaults and transforms).
 */
export function toolJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $ref, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  > & { $ref?: string; $defs?: Record<string, Record<string, unknown>> };
  if ($ref === undefined) return { ...rest, ...($defs ? { $defs } : {}) };
  // A named schema at the top (`$ref: #/$defs/TaskPage`) is inlined: MCP wants `type: "object"` there.
  const name = $ref.replace('#/$defs/', '');
  const { [name]: top, ...others } = $defs ?? {};
  return { ...rest, ...top, ...(Object.keys(others).length ? { $defs: others } : {}) };
}

/** A query value as the text a query string carries (a JSON number or boolean → its digits or word). */
function asQueryValue(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? value.map(asQueryValue) : value;
}

/** Issues as the API's field errors: `path` in dots, unknown keys each named. */
function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.slice(0, 50).flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ path: path || 'arguments', message: issue.message }];
  });
}

/** Reads a tool call's arguments with the tool's schema; a ValidationError names each field that is wrong. */
export function parseToolArguments<D extends ToolDefinition>(definition: D, raw: unknown): ToolArguments<D> {
  const given = raw ?? {};
  const input =
    definition.queryShaped && typeof given === 'object' && !Array.isArray(given)
      ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, asQueryValue(v)]))
      : given;
  const parsed = definition.input.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(`The arguments of ${definition.name} are invalid.`, fieldErrors(parsed.error));
  }
  return parsed.data as ToolArguments<D>;
}

/** The text of a failed call for a model or a person: the detail, then each field's problem on its own line. */
export function toolErrorText(detail: string, errors: readonly FieldError[] = []): string {
  return [detail, ...errors.map((e) => `${e.path}: ${e.message}`)].join('\n');
}
