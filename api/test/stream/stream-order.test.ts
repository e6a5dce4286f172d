import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import { deferred, eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { appendToStream } from '../../src/stream/stream.consumer.js';
import { streamRepository } from '../../src/stream/stream.repository.js';
import { useTestDatabase } from '../support/test-app.js';

/**
 * Resolves once another backend waits for a lock that the backend `holder` holds. (Not by the waiting
 * statement's text: `pg_stat_activity` keeps only its first kilobyte, which the stream's insert outgrows.)
 */
async function someoneWaitsOn(db: Database, holder: number): Promise<'waiting'> {
  await eventually(
    `a statement waiting for a lock of backend ${holder}`,
    async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND $1::int = ANY (pg_blocking_pids(pid))`,
        [holder],
      );
      return rows[0]!.n > 0;
    },
    10_000,
  );
  return 'waiting';
}

describe('live-update order per user on postgres', () => {
  const db = useTestDatabase('postgres');

  it('never lets a reader pass a row that commits after a later one of the same user', async () => {
    const userId = `u-${randomUUID()}`;
    const update = (title: string) => {
      const id = randomUUID();
      return cloudEvent('todo.task.updated', id, { id, userId, title });
    };
    const [earlier, later] = [update('earlier'), update('later')];

    // Two consumers (two partitions) apply one user's updates side by side; the earlier one commits last.
    const earlierAppended = deferred<number>();
    const mayCommit = deferred();
    const first = db.transaction(async (tx) => {
      await appendToStream(tx, [earlier]);
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      earlierAppended.resolve(rows[0]!.pid);
      await mayCommit.promise;
    });
    const firstBackend = await earlierAppended.promise;
    const second = db.transaction((tx) => appendToStream(tx, [later]));
    // Without a per-user order the later one simply commits; with it, it waits for the earlier one's lock.
    const outcome = await Promise.race([
      second.then(() => 'committed'),
      someoneWaitsOn(db, firstBackend).catch(() => 'not waiting'),
    ]);
    expect(outcome).toBe('waiting');

    // A connection flushes now, then again after both have committed.
    const sentFirst = await streamRepository.after(db, userId, 0, 500);
    mayCommit.resolve();
    await Promise.all([first, second]);
    const sentThen = await streamRepository.after(db, userId, sentFirst.at(-1)?.seq ?? 0, 500);

    const sent = [...sentFirst, ...sentThen].map((r) => (r.data as { title: string }).title);
    expect(sent).toEqual(['earlier', 'later']);
    expect(await streamRepository.head(db, userId)).toBe(2);
  });
});
