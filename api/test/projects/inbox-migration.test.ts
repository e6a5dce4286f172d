import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { openTestDatabase, STORAGES } from '../support/test-app.js';

const BEFORE_PROJECTS = migrations.filter((m) => m.version < 9);

describe.each(STORAGES)('migration 009 (projects) on %s', (storage) => {
  let db: Database | undefined;
  afterEach(() => db?.close());

  it("moves every existing task, of registered and token-only users, into its owner's new Inbox, losing nothing", async () => {
    // A fresh database has every migration; drop to the schema before projects by starting from an empty one.
    db = await openTestDatabase(storage);
    await db.exec(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
    await migrate(db, BEFORE_PROJECTS);
    await db.exec(`
      INSERT INTO users (id, email, password_hash) VALUES ('alice', 'alice@example.com', 'x'), ('idle', 'idle@example.com', 'x');
      INSERT INTO tasks (id, user_id, title, tags, due_at, completed) VALUES
        ('00000000-0000-4000-8000-000000000001', 'alice', 'Alice one', '{home}', '2030-01-01T09:00:00Z', false),
        ('00000000-0000-4000-8000-000000000002', 'alice', 'Alice two', '{}', NULL, true),
        ('00000000-0000-4000-8000-000000000003', 'external-sub', 'From a JWKS token', '{}', NULL, false);
      INSERT INTO activity (id, user_id, event_id, type, task_id, title, occurred_at)
        VALUES (gen_random_uuid(), 'alice', gen_random_uuid(), 'task.created', '00000000-0000-4000-8000-000000000001', 'Alice one', now());
    `);
    const before = await db.query<{ digest: string }>(
      `SELECT md5(string_agg(concat_ws('|', id, user_id, title, tags, due_at, completed, version), ',' ORDER BY id)) AS digest FROM tasks`,
    );

    expect(await migrate(db)).toEqual(migrations.filter((m) => m.version >= 9).map((m) => m.version));

    const after = await db.query<{ digest: string }>(
      `SELECT md5(string_agg(concat_ws('|', id, user_id, title, tags, due_at, completed, version), ',' ORDER BY id)) AS digest FROM tasks`,
    );
    expect(after.rows[0]?.digest).toBe(before.rows[0]?.digest);
    const placed = await db.query<{
      id: string;
      owner_id: string;
      name: string;
      inbox: boolean;
      role: string;
    }>(
      `SELECT t.id, p.owner_id, p.name, p.inbox, m.role FROM tasks t JOIN projects p ON p.id = t.project_id
       JOIN project_members m ON m.project_id = p.id AND m.user_id = t.user_id ORDER BY t.id`,
    );
    expect(placed.rows).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        owner_id: 'alice',
        name: 'Inbox',
        inbox: true,
        role: 'owner',
      },
      {
        id: '00000000-0000-4000-8000-000000000002',
        owner_id: 'alice',
        name: 'Inbox',
        inbox: true,
        role: 'owner',
      },
      {
        id: '00000000-0000-4000-8000-000000000003',
        owner_id: 'external-sub',
        name: 'Inbox',
        inbox: true,
        role: 'owner',
      },
    ]);
    // A user without tasks has an Inbox too, each user exactly one, each with its owner as its only member.
    const inboxes = await db.query<{ owner_id: string; members: number }>(
      `SELECT p.owner_id, count(m.*)::int AS members FROM projects p JOIN project_members m ON m.project_id = p.id
       WHERE p.inbox GROUP BY p.owner_id ORDER BY p.owner_id`,
    );
    expect(inboxes.rows).toEqual([
      { owner_id: 'alice', members: 1 },
      { owner_id: 'external-sub', members: 1 },
      { owner_id: 'idle', members: 1 },
    ]);
    // The audit trail keeps its entries, now filed under the Inbox they are read through.
    const activity = await db.query<{ inbox: boolean }>(
      'SELECT p.inbox FROM activity a JOIN projects p ON p.id = a.project_id',
    );
    expect(activity.rows).toEqual([{ inbox: true }]);
    await expect(
      db.query(`INSERT INTO tasks (id, user_id, title) VALUES (gen_random_uuid(), 'alice', 'nowhere')`),
    ).rejects.toThrow(/project_id/);
  });
});
