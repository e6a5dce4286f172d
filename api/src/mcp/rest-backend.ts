import type { FieldError, Problem } from '@todo/contract';
import { parseToolArguments, type ToolDefinition, type ToolName } from '../assistant/tool-definitions.js';
import { AppError, UnavailableError } from '../http/errors.js';
import type { McpBackend } from './mcp-server.js';

/** A problem+json answer of the REST API, handed on as the same kind of error the services raise. */
class ApiProblem extends AppError {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    errors?: FieldError[],
  ) {
    super(detail, errors);
  }
}

interface RestCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
}

type Args = Record<string, unknown>;

/** A query string from a tool's arguments as sent (a list → the parameter repeated). */
function queryString(args: Args): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    for (const one of [value].flat()) if (one !== undefined && one !== null) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const taskPath = (id: string, action = '') => `/tasks/${encodeURIComponent(id)}${action}`;
const without = ({ id: _id, ...rest }: Args) => rest;

/** Each tool as one REST request (set_reminder reads the task first: see below). */
const REQUESTS: Record<Exclude<ToolName, 'set_reminder'>, (args: Args, id: string) => RestCall> = {
  add_task: (args) => ({ method: 'POST', path: '/tasks', body: args }),
  list_tasks: (args) => ({ method: 'GET', path: '/tasks', query: args }),
  search_tasks: (args) => ({ method: 'GET', path: '/tasks', query: args }),
  update_task: (args, id) => ({ method: 'PATCH', path: taskPath(id), body: without(args) }),
  complete_task: (_args, id) => ({ method: 'POST', path: taskPath(id, '/complete') }),
  reopen_task: (_args, id) => ({ method: 'POST', path: taskPath(id, '/reopen') }),
  delete_task: (_args, id) => ({ method: 'DELETE', path: taskPath(id) }),
  list_notifications: (args) => ({ method: 'GET', path: '/notifications', query: args }),
};

/**
 * The tools and resources answered by the REST API at `apiUrl` with `token`, for the stdio server. Arguments
 * are checked with the tool's schema first (the same messages as over HTTP, with no request); the API's
 * own refusals (not found, a rule of the service) come back as its problem's detail and field errors.
 */
export function restBackend({
  apiUrl,
  token,
  fetch: send = fetch,
  log,
}: {
  apiUrl: string;
  token: string;
  fetch?: typeof fetch;
  log: (message: string) => void;
}): McpBackend {
  const base = `${apiUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;

  async function request({ method, path, query = {}, body, headers = {} }: RestCall) {
    let res: Response;
    try {
      res = await send(`${base}${path}${queryString(query)}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new UnavailableError(`Cannot reach the todo API at ${base}: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) {
      const problem = (text.startsWith('{') ? JSON.parse(text) : {}) as Partial<Problem>;
      const detail =
        res.status === 401
          ? `The todo API refused TODO_TOKEN: ${problem.detail ?? 'unauthorized'}`
          : (problem.detail ?? `The todo API answered ${res.status}.`);
      throw new ApiProblem(res.status, problem.title ?? 'Error', detail, problem.errors);
    }
    return { body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, etag: res.headers.get('etag') };
  }

  async function callTool(definition: ToolDefinition, raw: unknown): Promise<Record<string, unknown>> {
    const parsed = parseToolArguments(definition, raw) as Args;
    const args = raw as Args;
    const id = typeof parsed.id === 'string' ? parsed.id : '';
    const name = definition.name as ToolName;
    if (name === 'set_reminder') {
      // Read, then write over that version only (If-Match): a reminder added meanwhile is not lost.
      const current = await request({ method: 'GET', path: taskPath(id) });
      const reminders = [...(current.body.reminders as unknown[]), args.reminder];
      const headers: Record<string, string> = current.etag ? { 'if-match': current.etag } : {};
      return (await request({ method: 'PATCH', path: taskPath(id), body: { reminders }, headers })).body;
    }
    const { body } = await request(REQUESTS[name](args, id));
    return name === 'delete_task' ? { id, trashed: true } : body;
  }

  return {
    callTool,
    tags: async () => (await request({ method: 'GET', path: '/tags' })).body,
    openTasks: async () =>
      (await request({ method: 'GET', path: '/tasks', query: { status: 'open', sort: 'due', limit: 200 } }))
        .body,
    // The API holds the token's rights and answers for them.
    mayUse: () => true,
    unexpected: (err) => log(`todo-mcp: ${err instanceof Error ? err.message : String(err)}`),
  };
}
