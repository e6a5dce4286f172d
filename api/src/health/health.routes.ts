import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.js';
import { problem, sendProblem } from '../http/problem.js';

export interface Readiness {
  /** False once shutdown has begun, so load balancers stop sending new requests before we drain. */
  accepting: boolean;
}

/**
 * `/healthz`: the process is up. `/readyz`: the database answers and we are not shutting down.
 *
 * Probes log at `warn` only: the kubelet and daprd's app health check call them every few seconds, and a line per
 * call would bury everything else in the log (a failed readiness check still logs its warning).
 */
const PROBE = { config: { public: true }, schema: { hide: true }, logLevel: 'warn' } as const;

export const healthRoutes: FastifyPluginAsync<{ db: Database; readiness: Readiness }> = async (
  app,
  { db, readiness },
) => {
  app.get('/healthz', PROBE, async () => ({ status: 'ok' }));
  app.get('/readyz', PROBE, async (request, reply) => {
    if (!readiness.accepting) return sendProblem(reply, problem(503, 'Shutting down.'));
    try {
      await db.query('SELECT 1');
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return sendProblem(reply, problem(503, 'The database is not reachable.'));
    }
  });
};
