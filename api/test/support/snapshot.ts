import type { Database } from '../../src/db/database.js';

/** A fingerprint of every stored row that a write could touch; equal before and after means nothing changed. */
export async function snapshot(db: Database): Promise<string> {
  const { rows } = await db.query<{ tasks: string | null; users: string | null; n: number }>(
    `SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM tasks t) AS tasks,
            (SELECT md5(string_agg(u::text, '|' ORDER BY u.id)) FROM users u) AS users,
            (SELECT md5(string_agg(p::text, '|' ORDER BY p.id)) FROM projects p) AS projects,
            (SELECT md5(string_agg(m::text, '|' ORDER BY m.project_id, m.user_id)) FROM project_members m) AS members,
            (SELECT count(*)::int FROM tasks) AS n`,
  );
  return JSON.stringify(rows[0]);
}
