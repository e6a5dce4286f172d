/** The two ways a request can fail, as values the UI can tell apart. */
import type { FieldError } from '@todo/contract';

/** The server could not be reached (offline, DNS, connection refused, aborted). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(override readonly cause?: unknown) {
    super('Cannot reach the server. Check your connection and try again.');
  }
}

/** The server answered with an error status; `problem` carries its RFC 9457 body. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: FieldError[],
  ) {
    super(detail || title || `Request failed with status ${status}`);
  }

  /** Field errors keyed by path ("title", "reminders.0.before"); the first message wins. */
  byPath(): Map<string, string> {
    const map = new Map<string, string>();
    for (const e of this.fieldErrors) if (!map.has(e.path)) map.set(e.path, e.message);
    return map;
  }
}

/** A sentence a person can act on, for banners and toasts. */
export function describeFailure(err: unknown): string {
  if (err instanceof NetworkError) return err.message;
  if (err instanceof ProblemError) {
    if (err.status === 412) return 'This task was changed elsewhere. Reload it and try again.';
    if (err.status >= 500) return 'The server had a problem. Try again in a moment.';
    return err.message;
  }
  return 'Something went wrong.';
}
