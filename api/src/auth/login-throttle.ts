import type { Queryable } from '../db/database.js';

/**
 * Password guessing against one account: after `maxFailures` failed log-ins within `windowSeconds` of the first,
 * that email may not log in again until the window ends (OWASP's "account throttling"), correct password or not,
 * and without a password hash being computed. Counted per email whether or not an account has it, so a
 * refusal says nothing about which exist. The cost is that anyone can hold an account's log-in up for the
 * rest of a window (at most 15 minutes) by failing on purpose; sessions already issued are unaffected.
 */
export const LOGIN_THROTTLE = { maxFailures: 10, windowSeconds: 15 * 60 } as const;

export const loginThrottle = {
  /**
   * Takes one attempt for `email` before its password is checked: 0 when it may try now (the attempt counts as a
   * failure until `clear`), else whole seconds until it may. One statement, so concurrent guesses cannot get past
   * the limit between a read and a write: the row's lock orders them.
   */
  async claimAttempt(db: Queryable, email: string): Promise<number> {
    const { rows } = await db.query(
      `INSERT INTO login_failures AS f (email, failures, window_start) VALUES ($1, 1, now())
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN f.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE f.failures + 1 END,
         window_start = CASE WHEN f.window_start <= now() - make_interval(secs => $2) THEN now() ELSE f.window_start END
       WHERE f.failures < $3 OR f.window_start <= now() - make_interval(secs => $2)
       RETURNING 1`,
      [email, LOGIN_THROTTLE.windowSeconds, LOGIN_THROTTLE.maxFailures],
    );
    if (rows.length > 0) return 0;
    const refused = await db.query<{ wait: number }>(
      `SELECT ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS wait
       FROM login_failures WHERE email = $1`,
      [email, LOGIN_THROTTLE.windowSeconds],
    );
    // The window may have ended between the two statements: then a second's wait is the honest answer.
    return Math.max(1, refused.rows[0]?.wait ?? 1);
  },

  /** A successful log-in starts the count again (and takes back its own attempt). */
  async clear(db: Queryable, email: string): Promise<void> {
    await db.query('DELETE FROM login_failures WHERE email = $1', [email]);
  },
};
