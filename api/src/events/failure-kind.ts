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
/**
 * Transient failures that are one transaction's own, not the server's: a serialization failure (40001), a
 * deadlock (40P01), a lock not granted (55P03) and a statement cancelled, by its timeout or a person (57014).
 * Not the rest of their classes: 55000 is also what a database closed to connections answers at connect.
 */
const CONTENTION_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);
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
  // node-postgres reports a connection lost mid-query, or not made in time, without a code; so does its pool when
  // no connection was free in time.
  if (
    err instanceof Error &&
    /connection terminated|connection timeout|Connection refused|timeout exceeded when trying to connect/i.test(
      err.message,
    )
  )
    return 'transient';
  return 'unknown';
}

/**
 * Whether a transient failure is the event's own contention (its row locked, its transaction serialized out
 * or cancelled) rather than the database, the network or the sidecar being unavailable to every event. The
 * first says nothing about the next event; the second says the next one would fail too.
 */
export function isContention(err: unknown): boolean {
  const { code, severity } = (err ?? {}) as { code?: unknown; severity?: unknown };
  // A FATAL error ends the session: the connection, not the transaction, failed.
  return typeof code === 'string' && CONTENTION_SQLSTATES.has(code) && severity !== 'FATAL';
}
