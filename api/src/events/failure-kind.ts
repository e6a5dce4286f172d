/**
 * What a failure to apply an event says about retrying it:
 * - `transient`: the database or network is down or busy; the same event will succeed later (RETRY, uncounted);
 * - `permanent`: the event's own data is wrong (a value PostgreSQL refuses, a broken constraint); it never will
 *   (dead letter at once, DROP);
 * - `unknown`: anything else (a bug, a surprise): retried a bounded number of times, then set aside.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** SQLSTATE classes: 08 connection, 40 rollback (serialization, deadlock), 53 resources, 55 lock not available, 57 operator intervention (shutdown, cancel), 58 system. */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);
/** 22 data exception (bad uuid, out-of-range value), 23 integrity constraint violation. */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23']);
/** Node's socket errors when the database cannot be reached. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Classifies a failure of a consumer's transaction; `permanent` is what the caller marks as bad data. */
export function failureKind(err: unknown, isBadData: (err: unknown) => boolean): FailureKind {
  if (isBadData(err)) return 'permanent';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code)) return 'transient';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const sqlClass = code.slice(0, 2);
      if (TRANSIENT_SQLSTATE_CLASSES.has(sqlClass)) return 'transient';
      if (PERMANENT_SQLSTATE_CLASSES.has(sqlClass)) return 'permanent';
    }
  }
  // node-postgres reports a connection lost mid-query without a code.
  if (
    err instanceof Error &&
    /connection terminated|connection timeout|Connection refused/i.test(err.message)
  )
    return 'transient';
  return 'unknown';
}
