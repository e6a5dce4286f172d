import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { appendToStream } from '../../src/stream/stream.consumer.js';
import { streamRepository } from '../../src/stream/stream.repository.js';
import { useTestDatabase } from '../support/test-app.js';

/** Resolves once some backend is waiting on a lock while running a statement that mentions `table`. */
async function someoneWaitsOnLock(db: Database, table: string): Promise<'waiting'> {
  await eventually(
    `a statement on ${table} waiting for a lock`,
    async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`,
        [table],
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
    let appended!: () => void;
    const earlierAppended = new Promise<void>((resolve) => {
      appended = resolve;
    });
    let commit!: () => void;
    const mayCommit = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const first = db.transaction(async (tx) => {
      await appendToStream(tx, [earlier]);
      appended();
      await mayCommit;
    });
    await earlierAppended;
    const second = db.transaction((tx) => appendToStream(tx, [later]));
    // Without a per-user order the later one simply commits; with it, it waits for the earlier one's lock.
    await Promise.race([second, someoneWaitsOnLock(db, 'stream_heads').catch(() => 'not waiting')]);

    // A connection flushes now, then again after both have committed.
    const sentFirst = await streamRepository.after(db, userId, 0, 500);
    commit();
    await Promise.all([first, second]);
    const sentThen = await streamRepository.after(db, userId, sentFirst.at(-1)?.seq ?? 0, 500);

    const sent = [...sentFirst, ...sentThen].map((r) => (r.data as { title: string }).title);
    expect(sent).toEqual(['earlier', 'later']);
    expect(await streamRepository.head(db, userId)).toBe(2);
  });
});
