import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { listTasksQuery } from '@todo/contract';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assistantTools, type ToolServices } from '../assistant/tools.js';
import { ForbiddenError, UnauthorizedError } from '../http/errors.js';
import { originOf } from '../http/origin.js';
import { authenticateMcp, type McpAuth, type McpVerifiers, mayUse, missingScope } from './mcp-auth.js';
import { createMcpServer, type McpBackend } from './mcp-server.js';
import {
  bearerChallenge,
  MCP_PATH,
  PROTECTED_RESOURCE_PATHS,
  protectedResourceMetadata,
} from './protected-resource.js';

const OPEN_TASKS = listTasksQuery.parse({ status: 'open', sort: 'due', limit: '200' });
/** A fastify request as the Web-standard Request the SDK's transport reads (the body is handed over parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`${originOf(request)}${request.url}`, { method: request.method, headers });
}

async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    reply.header(name, value);
  });
  const body = await response.text();
  return reply.send(body.length ? body : null);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls `/mcp`; set by the MCP routes' own authentication. */
    mcpAuth?: McpAuth;
  }
}

/**
 * MCP over Streamable HTTP at `/mcp`, stateless: each POST carries its JSON-RPC messages and gets JSON back,
 * served by a fresh MCP server bound to the caller, so any replica answers any request (no session to keep).
 * Also the protected-resource metadata (RFC 9728) MCP clients discover OAuth from.
 */
export const mcpRoutes: FastifyPluginAsync<{
  services: ToolServices;
  verifiers: McpVerifiers;
  version: string;
}> = async (app, { services, verifiers, version }) => {
  const tools = new Map(assistantTools(services).map((tool) => [tool.name, tool]));
  app.decorateRequest('mcpAuth', undefined);

  for (const path of PROTECTED_RESOURCE_PATHS) {
    app.get(path, { config: { public: true }, schema: { hide: true } }, async (request, reply) =>
      reply
        .header('cache-control', 'public, max-age=3600')
        .send(protectedResourceMetadata(originOf(request))),
    );
  }

  app.post(MCP_PATH, {
    schema: { hide: true },
    onRequest: async (request, reply) => {
      try {
        request.mcpAuth = await authenticateMcp(request, verifiers);
      } catch (err) {
        if (err instanceof UnauthorizedError) {
          const error = request.headers.authorization ? 'invalid_token' : undefined;
          reply.header('www-authenticate', bearerChallenge(originOf(request), error ? { error } : {}));
        }
        throw err;
      }
    },
    handler: async (request, reply) => {
      const auth = request.mcpAuth!;
      const scope = missingScope(auth, request.body);
      if (scope) {
        reply.header(
          'www-authenticate',
          bearerChallenge(originOf(request), {
            error: 'insufficient_scope',
            scope: [...(auth.scopes ?? []), scope].join(' '),
          }),
        );
        throw new ForbiddenError(`This needs the ${scope} scope, which the token was not granted.`);
      }
      const ctx = { userId: auth.userId };
      const backend: McpBackend = {
        callTool: (definition, args) => tools.get(definition.name)!.call(ctx, args),
        tags: () => services.tasks.tags(auth.userId),
        openTasks: async () => JSON.parse(await services.tasks.listPageJson(auth.userId, OPEN_TASKS)),
        mayUse: (needed) => mayUse(auth, needed),
        unexpected: (err) => request.log.error({ err }, 'MCP tool failed'),
      };
      const server = createMcpServer(backend, version);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        const response = await transport.handleRequest(webRequest(request), { parsedBody: request.body });
        return await sendResponse(reply, response);
      } finally {
        await server.close();
      }
    },
  });
};
