import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sweepExpired } from '../../src/events/retention.js';
import { STORAGES, useTestDatabase } from '../support/test-app.js';

describe.each(STORAGES)('retention on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('removes old delivered events, consumer marks and stream rows, and never an undelivered event', async () => {
    const old = "now() - interval '8 days'";
    await db.query(
      `INSERT INTO outbox_delivered (id, event_id, topics, key, event, created_at, delivered_at, attempts) VALUES
         (1, $1, '{t}', 'k', '{}', ${old}, ${old}, 1), (3, $2, '{t}', 'k', '{}', now(), now(), 1)`,
      [randomUUID(), randomUUID()],
    );
    await db.query(
      `INSERT INTO outbox (event_id, topics, key, event, created_at) VALUES ($1, '{t}', 'k', '{}', ${old})`,
      [randomUUID()],
    );
    await db.query(
      `INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', $1, ${old}), ('c', $2, now())`,
      [randomUUID(), randomUUID()],
    );
    await db.query(
      `INSERT INTO stream_events (user_id, user_seq, event_id, type, data, created_at)
       VALUES ('u', 1, $1, 'x', '{}', ${old}), ('u', 2, $2, 'x', '{}', now())`,
      [randomUUID(), randomUUID()],
    );
    expect(await sweepExpired(db, 7, 1)).toBe(3);
    const { rows } = await db.query<{
      outbox: number;
      undelivered: number;
      processed: number;
      stream: number;
    }>(
      `SELECT (SELECT count(*)::int FROM outbox_log) AS outbox, (SELECT count(*)::int FROM outbox) AS undelivered,
              (SELECT count(*)::int FROM processed_events) AS processed, (SELECT count(*)::int FROM stream_events) AS stream`,
    );
    expect(rows[0]).toEqual({ outbox: 2, undelivered: 1, processed: 1, stream: 1 });
  });
});
