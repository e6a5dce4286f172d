import type { FastifyRequest } from 'fastify';
import { type Scope, TOOL_DEFINITIONS } from '../assistant/tool-definitions.js';
import type { TokenService } from '../auth/tokens.js';
import { UnauthorizedError } from '../http/errors.js';
import { originOf } from '../http/origin.js';
import type { OAuthService } from '../oauth/oauth.service.js';
import { mcpResourceOf } from './protected-resource.js';

/** Who calls `/mcp`, and what they may do. */
export interface McpAuth {
  userId: string;
  /** The scopes an OAuth access token grants; absent for a session token, which may do everything. */
  scopes?: readonly Scope[];
}

/** What can vouch for a bearer token on `/mcp`. */
export interface McpVerifiers {
  /** The REST API's session tokens (log-in, sign-up, scripts). */
  sessions: TokenService;
  /** OAuth access tokens this API issued for `/mcp`: audience-bound, scoped, ended when their grant is revoked. */
  accessTokens: Pick<OAuthService, 'verifyAccessToken'>;
}

/**
 * The one place `/mcp` decides who calls: a bearer token in the Authorization header (never in the URL),
 * either an OAuth access token issued here for this origin's `/mcp` (its scopes apply) or a session token,
 * verified as the REST API verifies it. Throws UnauthorizedError (401) when there is none or it is not good.
 */
export async function authenticateMcp(
  request: FastifyRequest,
  { sessions, accessTokens }: McpVerifiers,
): Promise<McpAuth> {
  const header = request.headers.authorization;
  if (!header) throw new UnauthorizedError('The MCP endpoint needs "Authorization: Bearer <token>".');
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
  if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
  const token = match[1]!;
  const access = await accessTokens.verifyAccessToken(token, mcpResourceOf(originOf(request)));
  if (access) return { userId: access.userId, scopes: access.scopes };
  return { userId: await sessions.verify(token) };
}

/** Whether the caller's token allows `scope` (a session token allows every scope). */
export const mayUse = (auth: McpAuth, scope: Scope): boolean =>
  auth.scopes === undefined || auth.scopes.includes(scope);

const SCOPE_OF = new Map<string, Scope>(TOOL_DEFINITIONS.map((d) => [d.name, d.scope]));

/**
 * The scope the JSON-RPC messages of a request need beyond what the token grants, if any: a write tool
 * needs tasks:write, every other request that reads the user's data tasks:read.
 */
export function missingScope(auth: McpAuth, body: unknown): Scope | undefined {
  const messages = (Array.isArray(body) ? body : [body]) as {
    method?: unknown;
    params?: { name?: unknown };
  }[];
  for (const message of messages) {
    const needed =
      message?.method === 'tools/call'
        ? (SCOPE_OF.get(String(message.params?.name)) ?? 'tasks:read')
        : message?.method === 'resources/read'
          ? 'tasks:read'
          : undefined;
    if (needed && !mayUse(auth, needed)) return needed;
  }
  return undefined;
}
