import type { FieldError } from '@todo/contract';

/** The stable problem-type URI of a title ("Not Found" → …/problems/not-found). */
export function problemType(title: string): string {
  return `https://todo.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** The typed errors the services raise; `problem.ts` maps each to an RFC 9457 response once. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly errors: FieldError[] | undefined;

  constructor(detail: string, errors?: FieldError[]) {
    super(detail);
    this.errors = errors;
  }

  /** A stable, documented identifier for the problem type. */
  get type(): string {
    return problemType(this.title);
  }
}

export class ValidationError extends AppError {
  readonly status = 422;
  readonly title = 'Validation Failed';
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly title = 'Bad Request';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

/** A member of a project lacking the right for what it asked (a viewer writing); anyone else gets NotFound. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not Found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly title = 'Precondition Failed';
}

/** Refused for now; `retryAfterSeconds` becomes the `Retry-After` header. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too Many Requests';

  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}

export class UnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
}
