import { TRASH_DAYS } from '@todo/contract';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { oauthRepository } from '../oauth/oauth.repository.js';
import { type Clock, systemClock } from '../reminders/reminder-schedule.js';
import { trashRepository } from '../tasks/trash.repository.js';

/** How long bookkeeping rows are kept: long enough for any redelivery or SSE resume, short enough to stay small. */
export const RETENTION_DAYS = 7;

/** Tables whose old rows may go, and the column that dates them. Undelivered outbox rows and dead letters are never removed. */
const SWEEPS = [
  { table: 'outbox_delivered', where: 'delivered_at', key: 'ctid' },
  { table: 'processed_events', where: 'processed_at', key: 'ctid' },
  { table: 'stream_events', where: 'created_at', key: 'seq' },
  // Attempt counts of events that later succeeded; dead letters themselves stay until replayed.
  { table: 'consumer_failures', where: 'failed_at', key: 'ctid' },
  // Failed log-ins whose window ended long ago (auth/login-throttle.ts).
  { table: 'login_failures', where: 'window_start', key: 'email' },
] as const;

/** Deletes bookkeeping older than the retention, in bounded chunks so it never holds long locks. */
export async function sweepExpired(db: Database, days = RETENTION_DAYS, chunk = 5000): Promise<number> {
  let total = 0;
  for (const s of SWEEPS) {
    for (;;) {
      const { rowCount } = await db.query(
        `DELETE FROM ${s.table} WHERE ${s.key} IN (
           SELECT ${s.key} FROM ${s.table} WHERE ${s.where} < now() - make_interval(days => $1) LIMIT $2)`,
        [days, chunk],
      );
      total += rowCount;
      if (rowCount < chunk) break;
    }
  }
  return total;
}

/** Empties the Trash of what was deleted more than TRASH_DAYS before `now`, subtasks and all. */
export function sweepTrash(db: Database, now = new Date(), days = TRASH_DAYS, chunk = 5000): Promise<number> {
  return trashRepository.purge(db, now, days, chunk);
}

/** Runs the sweeps hourly in the background (the Trash's by the app's clock); failures are logged and tried again next hour. */
export function scheduleRetention(
  db: Database,
  log: Logger,
  { now = systemClock, everyMs = 3_600_000 }: { now?: Clock; everyMs?: number } = {},
): () => void {
  const timer = setInterval(() => {
    sweepExpired(db)
      .then((n) => n > 0 && log.info({ deleted: n }, 'retention sweep'))
      .catch((err: unknown) => log.warn({ err }, 'retention sweep failed'));
    sweepTrash(db, now())
      .then((n) => n > 0 && log.info({ purged: n }, 'trash sweep'))
      .catch((err: unknown) => log.warn({ err }, 'trash sweep failed'));
    oauthRepository
      .sweep(db)
      .then((n) => n > 0 && log.info({ deleted: n }, 'oauth sweep'))
      .catch((err: unknown) => log.warn({ err }, 'oauth sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
