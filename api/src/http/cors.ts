import type { FastifyInstance, onRequestHookHandler } from 'fastify';

/**
 * CORS for what browser-based clients fetch from another origin: the MCP endpoint and the OAuth endpoints and
 * metadata an MCP client discovers and calls (a web MCP client, such as the MCP Inspector served from its own
 * origin, is a public OAuth client with PKCE). Every origin may, because nothing there answers to a cookie:
 * each call carries its bearer token or is public, so a page can only use what its own user gave it. No
 * credentials mode, hence `*`. Nothing else of the API sends CORS headers: the console is same-origin.
 */
const ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID';
/** A 401's challenge names the resource metadata a client needs next; a script may read it only if exposed. */
const EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id';
const MAX_AGE_SECONDS = '86400';

/** Adds CORS to the routes at these paths (each with the methods it serves), with their preflights. */
export function registerCors(app: FastifyInstance, paths: Readonly<Record<string, readonly string[]>>): void {
  const allowOrigin: onRequestHookHandler = (_request, reply, done) => {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSE_HEADERS);
    done();
  };
  // On those routes only, ahead of their own hooks (so a 401 from /mcp's authentication carries the headers):
  // every other request pays nothing.
  app.addHook('onRoute', (route) => {
    if (!Object.hasOwn(paths, route.url) || route.method === 'OPTIONS') return;
    route.onRequest = [allowOrigin, ...[route.onRequest ?? []].flat()];
  });
  for (const [path, methods] of Object.entries(paths)) {
    const allowMethods = [...methods, 'OPTIONS'].join(', ');
    app.options(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', allowMethods)
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', MAX_AGE_SECONDS)
        .send(),
    );
  }
}
