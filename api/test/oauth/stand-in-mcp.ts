import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { originOf } from '../../src/http/origin.js';
import { mcpResource, type OAuthService } from '../../src/oauth/oauth.service.js';

/**
 * A stand-in for the API's `/mcp` (built on another branch): protected-resource metadata, a 401 that points to
 * it, and one tool, `whoami`, answering the token's user and scopes; it checks tokens as `/mcp` will.
 */
export function registerStandInMcp(server: FastifyInstance, oauth: OAuthService): void {
  server.get('/.well-known/oauth-protected-resource', async (request) => ({
    resource: mcpResource(originOf(request)),
    authorization_servers: [originOf(request)],
    scopes_supported: ['tasks:read', 'tasks:write'],
    bearer_methods_supported: ['header'],
  }));
  server.post('/mcp', async (request, reply) => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const access = token && (await oauth.verifyAccessToken(token, mcpResource(originOf(request))));
    if (!access) {
      return reply
        .code(401)
        .header(
          'www-authenticate',
          `Bearer resource_metadata="${originOf(request)}/.well-known/oauth-protected-resource"`,
        )
        .send({ error: 'invalid_token' });
    }
    const mcp = new McpServer({ name: 'stand-in', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'The user and scopes of the token' }, async () => ({
      content: [{ type: 'text', text: JSON.stringify(access) }],
    }));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await mcp.connect(transport);
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
}
