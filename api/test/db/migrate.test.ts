import { randomBytes } from 'node:crypto';
import { createDatabase } from '@todo/infra';
import { describe, expect, inject, it } from 'vitest';
import { PgliteDatabase, PostgresDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { timeOrderKey } from '../../src/tasks/order-keys.js';

describe('migrations', () => {
  it('apply once when several replicas start at the same moment, and are a no-op afterwards', async () => {
    const url = await createDatabase(inject('postgresUrl'), `m_${randomBytes(5).toString('hex')}`);
    const replicas = Array.from({ length: 4 }, () => new PostgresDatabase(url, { poolSize: 2 }));
    try {
      const applied = await Promise.all(replicas.map((db) => migrate(db)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(migrations.map((m) => m.version));
      expect(await migrate(replicas[0]!)).toEqual([]);
      const { rows } = await replicas[0]!.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM schema_migrations',
      );
      expect(rows[0]?.n).toBe(migrations.length);
    } finally {
      await Promise.all(replicas.map((db) => db.close()));
    }
  });

  it('produce the same schema on PGlite', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      expect(await migrate(db)).toEqual(migrations.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ indexname: string; indexdef: string }>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tasks' ORDER BY 1",
      );
      // Search reads the words of the projects a user reads (migrations 007, 009): the index leads with them.
      const search = rows.find((r) => r.indexname === 'tasks_project_search_idx');
      expect(search?.indexdef).toMatch(/USING gin \(project_id, search\)/);
      expect(rows.map((r) => r.indexname)).not.toContain('tasks_search_idx');
      expect(rows.map((r) => r.indexname)).not.toContain('tasks_user_search_idx');
      // Its pending list, which every search scans, stays short (migration 008).
      const options = await db.query<{ reloptions: string[] | null }>(
        "SELECT reloptions FROM pg_class WHERE relname = 'tasks_project_search_idx'",
      );
      expect(options.rows[0]?.reloptions).toContain('gin_pending_list_limit=128');
    } finally {
      await db.close();
    }
  });

  it('gives existing tasks order keys by creation time (version 10), the same keys the API gives', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      await migrate(
        db,
        migrations.filter((m) => m.version <= 8),
      );
      await db.query(
        `INSERT INTO tasks (id, user_id, title, created_at) VALUES
           ('00000000-0000-4000-8000-000000000002', 'u', 'second', '2026-03-01T10:00:00.000002Z'),
           ('00000000-0000-4000-8000-000000000001', 'u', 'first', '2026-03-01T10:00:00.000001Z')`,
      );
      await migrate(db);
      const { rows } = await db.query<{ title: string; sort_order: string; parent_id: string | null }>(
        'SELECT title, sort_order, parent_id FROM tasks WHERE deleted_at IS NULL ORDER BY sort_order',
      );
      expect(rows.map((r) => r.title)).toEqual(['first', 'second']);
      const micros = BigInt(Date.parse('2026-03-01T10:00:00Z')) * 1000n;
      expect(rows.map((r) => r.sort_order)).toEqual([timeOrderKey(micros + 1n), timeOrderKey(micros + 2n)]);
      expect(rows.every((r) => r.parent_id === null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('move an existing outbox onto the queue and the delivery log (version 3), losing no event', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      await migrate(db, migrations.slice(0, 2));
      await db.query(
        `INSERT INTO outbox (event_id, topic, key, event, delivered_at) VALUES
           (gen_random_uuid(), 'task-events', 'a', '{"n": 1}', now()),
           (gen_random_uuid(), 'task-updates', 'a', '{"n": 2}', NULL),
           (gen_random_uuid(), 'reminders', 'b', '{"n": 3}', NULL)`,
      );
      expect(await migrate(db)).toEqual(migrations.slice(2).map((m) => m.version));
      const pending = await db.query<{ topics: string[]; n: number }>(
        "SELECT topics, (event->>'n')::int AS n FROM outbox ORDER BY id",
      );
      expect(pending.rows).toEqual([
        { topics: ['task-updates'], n: 2 },
        { topics: ['reminders'], n: 3 },
      ]);
      const delivered = await db.query<{ topics: string[]; n: number }>(
        "SELECT topics, (event->>'n')::int AS n FROM outbox_delivered",
      );
      expect(delivered.rows).toEqual([{ topics: ['task-events'], n: 1 }]);
    } finally {
      await db.close();
    }
  });
});
