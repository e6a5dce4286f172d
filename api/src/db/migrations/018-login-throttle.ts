/**
 * Failed log-ins per account email (whether or not an account has it, so the answer tells nothing about which
 * exist): the count and the start of its window. `auth/login-throttle.ts` refuses log-ins for an email past the
 * limit until its window ends; a successful log-in removes the row; the retention sweep removes stale ones.
 */
export const sql = /* sql */ `
CREATE TABLE login_failures (
  email text PRIMARY KEY,
  failures integer NOT NULL,
  window_start timestamptz NOT NULL
);
CREATE INDEX login_failures_window_idx ON login_failures (window_start);
`;
