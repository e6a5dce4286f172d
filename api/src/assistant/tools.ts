import { listTasksQuery } from '@todo/contract';
import type { Database } from '../db/database.js';
import { notificationRepository } from '../notifications/notification.repository.js';
import type { TaskService } from '../tasks/task.service.js';
import { publicView } from '../tasks/task-row.js';
import type { TrashService } from '../tasks/trash.service.js';
import {
  addTask,
  completeTask,
  deleteTask,
  listNotifications,
  listTasks,
  parseToolArguments,
  reopenTask,
  type Scope,
  searchTasks,
  setReminder,
  type ToolAnnotations,
  type ToolArguments,
  type ToolDefinition,
  toolJsonSchema,
  updateTask,
} from './tool-definitions.js';

/** Who calls a tool: the access module answers for this user, so another user's task is "not found". */
export interface ToolContext {
  userId: string;
}

/** The API's own services the tools call (the same ones the REST routes call). */
export interface ToolServices {
  tasks: TaskService;
  trash: TrashService;
  db: Database;
}

/** A tool ready to call in-process: its description for a client, and `call`, which checks the arguments first. */
export interface AssistantTool {
  name: string;
  title: string;
  description: string;
  /** JSON Schema (2020-12) of the arguments, from the REST API's zod schema. */
  inputSchema: Record<string, unknown>;
  /** JSON Schema of the result. */
  outputSchema: Record<string, unknown>;
  annotations: ToolAnnotations;
  scope: Scope;
  /**
   * Runs the tool for `ctx.userId`. Throws the API's typed errors: ValidationError (422) naming each wrong
   * argument, NotFoundError for a task the user cannot see, ForbiddenError for a viewer's write.
   */
  call(ctx: ToolContext, args: unknown): Promise<Record<string, unknown>>;
}

type Handler<D extends ToolDefinition> = (
  services: ToolServices,
  ctx: ToolContext,
  args: ToolArguments<D>,
) => Promise<Record<string, unknown>>;

/** The whole of GET /tasks' query with its defaults, for a search that names only some of it. */
const LIST_DEFAULTS = listTasksQuery.parse({});

const listPage = async (s: ToolServices, userId: string, query: typeof LIST_DEFAULTS) =>
  JSON.parse(await s.tasks.listPageJson(userId, query)) as Record<string, unknown>;

function bind<D extends ToolDefinition>(definition: D, run: Handler<D>) {
  return (services: ToolServices): AssistantTool => ({
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: toolJsonSchema(definition.input, 'input'),
    outputSchema: toolJsonSchema(definition.output, 'output'),
    annotations: definition.annotations,
    scope: definition.scope,
    call: async (ctx, args) => run(services, ctx, parseToolArguments(definition, args)),
  });
}

const HANDLERS = [
  bind(addTask, async (s, { userId }, args) => publicView(await s.tasks.create(userId, args))),
  bind(listTasks, (s, { userId }, args) => listPage(s, userId, args)),
  bind(searchTasks, (s, { userId }, args) => listPage(s, userId, { ...LIST_DEFAULTS, ...args })),
  bind(updateTask, async (s, { userId }, { id, ...fields }) =>
    publicView(await s.tasks.update(userId, id, fields)),
  ),
  bind(completeTask, async (s, { userId }, { id }) => publicView(await s.tasks.complete(userId, id))),
  bind(reopenTask, async (s, { userId }, { id }) => publicView(await s.tasks.reopen(userId, id))),
  bind(deleteTask, async (s, { userId }, { id }) => {
    await s.trash.trash(userId, id);
    return { id, trashed: true };
  }),
  bind(setReminder, async (s, { userId }, { id, reminder }) => {
    const current = await s.tasks.get(userId, id);
    // Only over the version read: a reminder list changed meanwhile is not overwritten (412).
    const updated = await s.tasks.update(userId, id, { reminders: [...current.reminders, reminder] }, [
      { weak: false, opaque: String(current.version) },
    ]);
    return publicView(updated);
  }),
  bind(listNotifications, (s, { userId }, { limit }) => notificationRepository.list(s.db, userId, limit)),
];

/** Every task tool bound to the API's services, in the order clients list them. */
export function assistantTools(services: ToolServices): AssistantTool[] {
  return HANDLERS.map((bound) => bound(services));
}
