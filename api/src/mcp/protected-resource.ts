import { SCOPES } from '../assistant/tool-definitions.js';

/** Where the API serves MCP over Streamable HTTP. */
export const MCP_PATH = '/mcp';

/**
 * The OAuth protected-resource metadata (RFC 9728) of `/mcp`: at the well-known root, where the 401's
 * `resource_metadata` points, and at the path-suffixed URI RFC 9728 derives from the resource itself.
 */
export const PROTECTED_RESOURCE_PATHS = [
  '/.well-known/oauth-protected-resource',
  `/.well-known/oauth-protected-resource${MCP_PATH}`,
] as const;

/** The resource identifier (RFC 8707) of the MCP endpoint as seen from `origin`: what OAuth tokens are bound to. */
export const mcpResourceOf = (origin: string): string => `${origin}${MCP_PATH}`;

/** The metadata document: this API is its own authorization server. */
export function protectedResourceMetadata(origin: string) {
  return {
    resource: mcpResourceOf(origin),
    authorization_servers: [origin],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Todo MCP server',
  };
}

/**
 * A `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3, RFC 9728 §5.1) pointing at the metadata document;
 * `error` says why a token was refused (none when none was sent), `scope` what the request needs.
 */
export function bearerChallenge(
  origin: string,
  {
    error,
    scope = SCOPES.join(' '),
  }: { error?: 'invalid_token' | 'insufficient_scope'; scope?: string } = {},
): string {
  const params = [
    `resource_metadata="${origin}${PROTECTED_RESOURCE_PATHS[0]}"`,
    ...(error ? [`error="${error}"`] : []),
    `scope="${scope}"`,
  ];
  return `Bearer ${params.join(', ')}`;
}
