import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { recordActivity } from '../../src/activity/activity.consumer.js';
import type { Database } from '../../src/db/database.js';
import { idempotentHandler } from '../../src/events/idempotent-consumer.js';
import { STORAGES, useTestDatabase } from '../support/test-app.js';

const log = pino({ level: 'silent' });

/** A view of the database that counts the transactions opened through it. */
function countingTransactions(db: Database) {
  const counts = { transactions: 0 };
  const view: Database = Object.create(db);
  view.transaction = (fn) => {
    counts.transactions++;
    return db.transaction(fn);
  };
  return { view, counts };
}

const taskEvent = (userId: string) =>
  cloudEvent('todo.task.created', randomUUID(), { id: randomUUID(), userId, title: 'Pay rent' });

describe.each(STORAGES)('a consumer keyed by event id on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('applies a batch in its one statement, without BEGIN/COMMIT, and a redelivery has no second effect', async () => {
    const { view, counts } = countingTransactions(db);
    const handle = idempotentHandler(view, 'activity', 'task-events', log, recordActivity, {
      keyedByEventId: true,
    });
    const userId = `u-${randomUUID()}`;
    const events = [taskEvent(userId), taskEvent(userId), taskEvent(userId)];
    expect(await handle.batch!(events)).toEqual(['success', 'success', 'success']);
    expect(await handle.batch!(events)).toEqual(['success', 'success', 'success']);
    expect(await handle(events[0]!)).toBe('success');
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM activity WHERE user_id = $1',
      [userId],
    );
    expect(rows[0]!.n).toBe(3);
    expect(counts.transactions).toBe(0);
  });

  it('refuses a second statement from an effect that claims to be one, rather than committing half of it', async () => {
    const statements: string[] = [];
    const handle = idempotentHandler(
      db,
      'two-statements',
      'task-events',
      log,
      async (q) => {
        for (const sql of ['SELECT 1', 'SELECT 2']) {
          await q.query(sql);
          statements.push(sql);
        }
      },
      { keyedByEventId: true, maxAttempts: 5 },
    );
    expect(await handle(taskEvent('u'))).toBe('retry');
    expect(statements).toEqual(['SELECT 1']);
  });
});
