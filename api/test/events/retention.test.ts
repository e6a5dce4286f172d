import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sweepExpired } from '../../src/events/retention.js';
import { oauthRepository } from '../../src/oauth/oauth.repository.js';
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

  it('removes failed log-in counts whose window ended long ago, and keeps current ones', async () => {
    await db.query(
      `INSERT INTO login_failures (email, failures, window_start) VALUES
         ('old@example.com', 10, now() - interval '8 days'), ('now@example.com', 3, now())`,
    );
    expect(await sweepExpired(db, 7)).toBe(1);
    const { rows } = await db.query<{ email: string }>('SELECT email FROM login_failures');
    expect(rows).toEqual([{ email: 'now@example.com' }]);
  });

  it('removes OAuth clients never granted anything after 30 days, and refresh tokens a day past expiry', async () => {
    const user = randomUUID();
    await db.query(
      `INSERT INTO users (id, email, password_hash) VALUES ($1, $1 || '@example.com', 'scrypt$1$1$1$x$y')`,
      [user],
    );
    const client = (id: string, age: string) =>
      db.query(
        `INSERT INTO oauth_clients (client_id, redirect_uris, created_at) VALUES ($1, '{https://app.example/cb}', now() - $2::interval)`,
        [id, age],
      );
    await client('old-unused', '31 days');
    await client('old-granted', '31 days');
    await client('old-pending', '31 days');
    await client('recent-unused', '1 day');
    const grant = randomUUID();
    await db.query(
      `INSERT INTO oauth_grants (id, user_id, client_id, scopes, resource) VALUES ($1, $2, 'old-granted', '{tasks:read}', 'r')`,
      [grant, user],
    );
    await db.query(
      `INSERT INTO oauth_authorization_requests (id_hash, client_id, redirect_uri, code_challenge, scopes, resource, expires_at)
       VALUES ('h', 'old-pending', 'https://app.example/cb', 'c', '{tasks:read}', 'r', now() + interval '5 minutes')`,
    );
    await db.query(
      `INSERT INTO oauth_refresh_tokens (token_hash, grant_id, expires_at) VALUES
         ('expired', $1, now() - interval '2 days'), ('live', $1, now() + interval '29 days')`,
      [grant],
    );
    expect(await oauthRepository.sweep(db)).toBe(2);
    const clients = await db.query<{ client_id: string }>(
      'SELECT client_id FROM oauth_clients ORDER BY client_id',
    );
    expect(clients.rows.map((r) => r.client_id)).toEqual(['old-granted', 'old-pending', 'recent-unused']);
    const tokens = await db.query<{ token_hash: string }>('SELECT token_hash FROM oauth_refresh_tokens');
    expect(tokens.rows).toEqual([{ token_hash: 'live' }]);
  });
});
