import type { Database } from './database.js';
import { migrations as all } from './migrations/index.js';

/** Arbitrary but fixed key: every replica that starts at once queues on the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_301_122;

/**
 * Applies pending migrations in one transaction under an advisory lock, so concurrent replicas
 * apply each migration exactly once; running it again is a no-op.
 */
export async function migrate(db: Database, migrations = all): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
