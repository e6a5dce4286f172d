import type { FastifyInstance } from 'fastify';

/**
 * What an `/api/v1` answer tells caches when its route says nothing itself (RFC 9111). Every answer is one
 * user's. One that carries a validator (a task's ETag) is `private, no-cache`: no shared cache (proxy, CDN)
 * stores it, and a browser that keeps it asks before each reuse, which the task answers with 304 while the
 * ETag is current. One without a validator could never be revalidated, so keeping it would be wasted: `no-store`
 * (REDbot: FRESHNESS_NO_CACHE_NO_VALIDATOR). With no directive at all, any cache could store these answers and
 * reuse them for a heuristic lifetime without asking (REDbot: FRESHNESS_HEURISTIC). Routes that set their own
 * (`no-store` on credentials, the SSE stream's `no-cache, no-transform`) keep it.
 */
const REVALIDATED = 'private, no-cache';
const NOT_STORED = 'no-store';

/** Adds the default to every answer of this scope that has none, errors (401 included) and 304s too. */
export function registerApiCaching(scope: FastifyInstance): void {
  scope.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) {
      reply.header('cache-control', reply.hasHeader('etag') ? REVALIDATED : NOT_STORED);
    }
    done(null, payload);
  });
}
