import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type Scope,
  TOOL_DEFINITIONS,
  type ToolDefinition,
  toolErrorText,
  toolJsonSchema,
} from '../assistant/tool-definitions.js';
import { AppError } from '../http/errors.js';

/** Where the tools and resources of one MCP session get their answers: the API's services, or its REST API. */
export interface McpBackend {
  /**
   * Runs a tool with the arguments as sent (the backend checks them with the tool's schema). Throws an
   * AppError for what the caller should see: a refused argument, a task not found.
   */
  callTool(definition: ToolDefinition, args: unknown): Promise<Record<string, unknown>>;
  /** The user's tags with the number of tasks carrying each. */
  tags(): Promise<unknown>;
  /** The first page of the user's open tasks, by due date. */
  openTasks(): Promise<unknown>;
  /** Whether the caller may use what needs `scope`. */
  mayUse(scope: Scope): boolean;
  /** An error that is not the caller's: logged; the caller is told only that it happened. */
  unexpected(err: unknown): void;
}

/** The read-only views of the user's data, as MCP resources. */
const RESOURCES = [
  {
    uri: 'todo://tags',
    name: 'tags',
    title: 'Your tags',
    description: 'Every tag on your tasks, with the number of tasks carrying it.',
    mimeType: 'application/json',
    read: (backend: McpBackend) => backend.tags(),
  },
  {
    uri: 'todo://tasks/open',
    name: 'open-tasks',
    title: 'Your open tasks',
    description: 'Your open tasks, by due date: the first page of up to 200, and the cursor of the next.',
    mimeType: 'application/json',
    read: (backend: McpBackend) => backend.openTasks(),
  },
] as const;

/** The tools as MCP lists them: the same for every caller (a read-only token learns of writes it cannot make). */
const TOOLS: Tool[] = TOOL_DEFINITIONS.map((d) => ({
  name: d.name,
  title: d.title,
  description: d.description,
  inputSchema: toolJsonSchema(d.input, 'input') as Tool['inputSchema'],
  outputSchema: toolJsonSchema(d.output, 'output') as Tool['outputSchema'],
  annotations: { title: d.title, ...d.annotations },
}));

const BY_NAME = new Map<string, ToolDefinition>(TOOL_DEFINITIONS.map((d) => [d.name, d]));

const failed = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

async function callTool(backend: McpBackend, name: string, args: unknown): Promise<CallToolResult> {
  const definition = BY_NAME.get(name);
  if (!definition) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  if (!backend.mayUse(definition.scope)) {
    return failed(`${name} needs the ${definition.scope} scope, which this token was not granted.`);
  }
  try {
    const result = await backend.callTool(definition, args);
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
  } catch (err) {
    // The caller's own mistakes (and "not found") come back as tool errors a model can read and correct.
    if (err instanceof AppError && err.status < 500) return failed(toolErrorText(err.message, err.errors));
    backend.unexpected(err);
    return failed(err instanceof AppError ? err.message : 'Something went wrong on our side.');
  }
}

/** An MCP server (one per session) whose task tools and resources answer for one user through `backend`. */
export function createMcpServer(backend: McpBackend, version: string): Server {
  // The low-level Server: the tools bring their own JSON Schemas (the REST API's) and their own checks.
  const server = new Server(
    { name: 'todo', title: 'Todo', version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        "Manage the user's tasks: list_tasks and search_tasks find them (ids included), the other tools change one task by its id. Dates are RFC 3339 with an offset.",
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, (request) =>
    callTool(backend, request.params.name, request.params.arguments),
  );
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: RESOURCES.map(({ read: _read, ...resource }) => resource),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = RESOURCES.find((r) => r.uri === request.params.uri);
    // -32002: the code the MCP specification gives "resource not found".
    if (!resource) throw new McpError(-32002, 'Resource not found', { uri: request.params.uri });
    if (!backend.mayUse('tasks:read')) {
      throw new McpError(ErrorCode.InvalidRequest, 'Reading tasks needs the tasks:read scope.');
    }
    const value = await resource.read(backend);
    return { contents: [{ uri: resource.uri, mimeType: resource.mimeType, text: JSON.stringify(value) }] };
  });
  return server;
}
