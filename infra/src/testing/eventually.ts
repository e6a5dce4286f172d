/**
 * Retries `check` until it passes, and returns what it returned. A check has not passed yet while it throws
 * (an `expect` that does not hold) or returns `false` or `undefined` (a condition not met, a thing not
 * found); so an assertion-style check returns what it checked. When the time is up, the error names `what`
 * and carries the check's last failure, which is what a failing test should report.
 */
export async function eventually<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastFailure: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== undefined) return result as Exclude<T, false | undefined>;
      lastFailure = undefined;
    } catch (err) {
      lastFailure = err;
    }
    if (Date.now() >= deadline) throw new EventuallyTimeoutError(what, timeoutMs, lastFailure);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** What `eventually` throws when time is up: the awaited thing by name, the last failure as its cause. */
export class EventuallyTimeoutError extends Error {
  override readonly name = 'EventuallyTimeoutError';

  constructor(what: string, timeoutMs: number, lastFailure: unknown) {
    const reason =
      lastFailure === undefined
        ? ''
        : `: ${lastFailure instanceof Error ? lastFailure.message : String(lastFailure)}`;
    super(`${what}: not within ${timeoutMs} ms${reason}`, { cause: lastFailure });
  }
}
