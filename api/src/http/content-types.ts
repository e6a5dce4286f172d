import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from './errors.js';

function parseJson(
  _request: FastifyRequest,
  body: string,
  done: (err: Error | null, value?: unknown) => void,
): void {
  // Action routes (complete, reopen, read) are often called with a JSON content type and no body.
  if (body.length === 0) {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(body));
  } catch {
    done(new BadRequestError('The request body is not valid JSON.'));
  }
}

/** JSON and JSON merge-patch are the only bodies we read; anything else is a 415. */
export function registerContentTypes(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    parseJson,
  );
}
