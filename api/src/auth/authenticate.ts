import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UnauthorizedError } from '../http/errors.js';
import type { TokenService } from './tokens.js';

/**
 * `?access_token=` as routes that take one declare it: a JWT's characters only, so the largest token the
 * document allows still fits in the 16 KiB request line (percent-encoded, other characters take up to 12 bytes).
 */
export const accessTokenQuery = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_.-]+(?![\s\S])/, 'is not a token');

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user's id (the token's `sub`); set by `authenticate`. */
    userId: string;
  }
  interface FastifyContextConfig {
    /** Routes that accept `?access_token=` because browsers cannot set headers on them (EventSource). */
    tokenInQuery?: boolean;
    /** Routes reachable without a token (sign-up, log-in). */
    public?: boolean;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
    if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
    return match[1];
  }
  if (request.routeOptions.config.tokenInQuery) {
    const q = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof q === 'string') return q;
  }
  return undefined;
}

/** Adds an onRequest hook to this scope: every route needs a valid token unless marked public. */
export function registerAuthentication(app: FastifyInstance, tokens: TokenService): void {
  app.decorateRequest('userId', '');
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError('This route needs "Authorization: Bearer <token>".');
    request.userId = await tokens.verify(token);
  });
}
