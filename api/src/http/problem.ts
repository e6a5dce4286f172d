import type { FieldError, Problem, UNPROCESSABLE } from '@todo/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { failureKind } from '../events/failure-kind.js';
import { AppError, problemType, TooManyRequestsError } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Validation Failed',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/**
 * Seconds a client is asked to wait (`Retry-After`) when a request failed because the database was unreachable
 * or busy: a restart or fail-over takes a few seconds, a lock or serialization conflict less.
 */
export const RETRY_AFTER_UNAVAILABLE_SECONDS = 2;

/** Builds a problem document for a status; `type` is a stable URI per title. */
export function problem(status: number, detail: string, errors?: FieldError[]): Problem {
  const title = TITLES[status] ?? 'Error';
  return {
    type: problemType(title),
    title,
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
}

function pathOf(instancePath: string, context: string | undefined): string {
  const joined = instancePath.split('/').filter(Boolean).join('.');
  // Query, path and header parameters are named by themselves; an empty body path is the body.
  return joined || (context && context !== 'body' ? context : 'body');
}

/** Maps request-schema failures to field errors: unknown keys name the key itself. */
function validationErrors(err: FastifyError): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(err)) return [];
  const out: FieldError[] = [];
  for (const v of err.validation) {
    const keys = (v.params as { keys?: unknown }).keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys)
        out.push({
          path: pathOf(`${v.instancePath}/${String(key)}`, err.validationContext),
          message: 'is not a known field',
        });
      continue;
    }
    out.push({ path: pathOf(v.instancePath, err.validationContext), message: v.message ?? 'is invalid' });
  }
  return out;
}

/** A refinement marked UNPROCESSABLE in the contract failed (its params arrive nested in the issue's). */
function isUnprocessable(v: { params?: unknown }): boolean {
  const params = (v.params as { params?: unknown } | undefined)?.params;
  return (
    typeof params === 'object' && params !== null && (params as typeof UNPROCESSABLE).unprocessable === true
  );
}

/** A body limit as people read it: "1 MiB", "16 MiB". */
const mebibytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** The one place errors become responses; 5xx details are logged, never sent. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblem(reply, {
        ...problem(err.status, err.message, err.errors),
        type: err.type,
        title: err.title,
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = validationErrors(err);
      const where = err.validationContext === 'body' ? 'request body' : (err.validationContext ?? 'request');
      // 400 when the request breaks the OpenAPI document; 422 when it only breaks rules the document cannot state.
      const status = err.validation.every(isUnprocessable) ? 422 : 400;
      return sendProblem(reply, problem(status, `The ${where} is invalid.`, errors));
    }
    // The database (or another dependency) unreachable or busy: nothing is wrong with the request, and the same
    // request will most likely succeed shortly. A 503 with Retry-After says so; a 500 would say "our bug".
    if (err.statusCode === undefined && failureKind(err, () => false) === 'transient') {
      request.log.warn({ err }, 'request failed: a dependency is unavailable or busy; answered 503');
      reply.header('retry-after', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
      return sendProblem(reply, problem(503, 'The service is briefly unavailable; try again in a moment.'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendProblem(reply, problem(status === 503 ? 503 : 500, 'Something went wrong on our side.'));
    }
    const details: Record<string, string> = {
      FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but JSON was declared.',
      FST_ERR_CTP_BODY_TOO_LARGE: `The request body exceeds the ${mebibytes(request.routeOptions.bodyLimit)} limit.`,
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send JSON with Content-Type: application/json.',
    };
    const detail =
      (err.code && details[err.code]) ||
      (err instanceof SyntaxError ? 'The request body is not valid JSON.' : err.message);
    return sendProblem(reply, problem(status, detail));
  });
}
