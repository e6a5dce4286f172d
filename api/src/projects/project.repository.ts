import { randomUUID } from 'node:crypto';
import type { Project, ProjectMember, ProjectRole } from '@todo/contract';
import { readableProjectsSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';

/** The Inbox's order key: before any key a project made later gets (fractional-indexing's first key). */
export const INBOX_POSITION = 'a0';

interface ProjectRow {
  id: string;
  name: string;
  color: string | null;
  parent_id: string | null;
  archived: boolean;
  position: string;
  role: ProjectRole;
  inbox: boolean;
  owner_id: string;
}

const toProject = (r: ProjectRow): Project & { ownerId: string } => ({
  id: r.id,
  name: r.name,
  color: r.color,
  parentId: r.parent_id,
  archived: r.archived,
  order: r.position,
  role: r.role,
  inbox: r.inbox,
  ownerId: r.owner_id,
});
export type StoredProject = ReturnType<typeof toProject>;

/**
 * The projects user $1 is a member of, with its role. A folder the caller cannot see is not named: its
 * parentId reads null for that caller.
 */
const VISIBLE = `SELECT p.id, p.name, p.color, p.archived, p.position, p.inbox, p.owner_id, m.role,
    CASE WHEN p.parent_id IN (${readableProjectsSql('$1')}) THEN p.parent_id END AS parent_id
  FROM project_members m JOIN projects p ON p.id = m.project_id WHERE m.user_id = $1`;

/** SQL for projects and their members; what a caller may do is the service's (and the access module's) call. */
export const projectRepository = {
  /** The user's Inbox id, made (with the user as its owner) if the user has none yet. */
  async ensureInbox(db: Queryable, userId: string): Promise<string> {
    for (;;) {
      const { rows } = await db.query<{ id: string }>(
        `WITH made AS (
           INSERT INTO projects (id, owner_id, name, position, inbox) VALUES ($2, $1, 'Inbox', '${INBOX_POSITION}', true)
           ON CONFLICT (owner_id) WHERE inbox DO NOTHING RETURNING id
         ), member AS (
           INSERT INTO project_members (project_id, user_id, role) SELECT id, $1, 'owner' FROM made
         )
         SELECT id FROM made UNION ALL SELECT id FROM projects WHERE owner_id = $1 AND inbox`,
        [userId, randomUUID()],
      );
      // Empty only when a concurrent first use made it after this statement's snapshot: read again.
      if (rows[0]) return rows[0].id;
    }
  },

  async list(db: Queryable, userId: string): Promise<StoredProject[]> {
    const { rows } = await db.query<ProjectRow>(
      `${VISIBLE} ORDER BY p.inbox DESC, p.position COLLATE "C", p.id`,
      [userId],
    );
    return rows.map(toProject);
  },

  /** A project as the user sees it; undefined when the user is not a member. */
  async find(
    db: Queryable,
    userId: string,
    id: string,
    forUpdate = false,
  ): Promise<StoredProject | undefined> {
    const { rows } = await db.query<ProjectRow>(
      `${VISIBLE} AND p.id = $2${forUpdate ? ' FOR UPDATE OF p' : ''}`,
      [userId, id],
    );
    return rows[0] ? toProject(rows[0]) : undefined;
  },

  /**
   * The order keys a project moved to right after `afterId` (null: first) goes between, among the user's
   * projects other than the Inbox and the one moved.
   */
  async positionsAround(
    db: Queryable,
    userId: string,
    movingId: string,
    afterId: string | null,
  ): Promise<{ before: string | null; after: string | null }> {
    const { rows } = await db.query<{ before: string | null; after: string | null }>(
      `WITH mine AS (SELECT p.id, p.position FROM project_members m JOIN projects p ON p.id = m.project_id
                     WHERE m.user_id = $1 AND NOT p.inbox AND p.id <> $2)
       SELECT (SELECT position FROM mine WHERE id = $3) AS before,
              (SELECT min(position COLLATE "C") FROM mine
               WHERE $3::uuid IS NULL OR position COLLATE "C" > (SELECT position FROM mine WHERE id = $3)) AS after`,
      [userId, movingId, afterId],
    );
    return rows[0] ?? { before: null, after: null };
  },

  /** The last order key among the user's projects, so a new one goes at the end. */
  async lastPosition(db: Queryable, userId: string): Promise<string> {
    const { rows } = await db.query<{ last: string | null }>(
      `SELECT max(p.position COLLATE "C") AS last FROM project_members m JOIN projects p ON p.id = m.project_id
       WHERE m.user_id = $1`,
      [userId],
    );
    return rows[0]?.last ?? INBOX_POSITION;
  },

  /** Whether a project has folders' children (it is a folder). */
  async hasChildren(db: Queryable, id: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM projects WHERE parent_id = $1 LIMIT 1', [id]);
    return rows.length > 0;
  },

  async insert(
    db: Queryable,
    p: {
      id: string;
      ownerId: string;
      name: string;
      color: string | null;
      parentId: string | null;
      position: string;
    },
  ): Promise<void> {
    await db.query(
      `WITH p AS (
         INSERT INTO projects (id, owner_id, name, color, parent_id, position) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id
       )
       INSERT INTO project_members (project_id, user_id, role) SELECT id, $2, 'owner' FROM p`,
      [p.id, p.ownerId, p.name, p.color, p.parentId, p.position],
    );
  },

  async update(
    db: Queryable,
    id: string,
    p: { name: string; color: string | null; parentId: string | null; archived: boolean; position: string },
  ): Promise<void> {
    await db.query(
      `UPDATE projects SET name = $2, color = $3, parent_id = $4, archived = $5, position = $6, updated_at = now()
       WHERE id = $1`,
      [id, p.name, p.color, p.parentId, p.archived, p.position],
    );
  },

  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM projects WHERE id = $1', [id]);
  },

  async members(db: Queryable, projectId: string): Promise<ProjectMember[]> {
    const { rows } = await db.query<ProjectMember>(
      `SELECT m.user_id AS "userId", u.email, u.name, m.role FROM project_members m
       LEFT JOIN users u ON u.id = m.user_id WHERE m.project_id = $1
       ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, m.created_at, m.user_id`,
      [projectId],
    );
    return rows;
  },

  async member(db: Queryable, projectId: string, userId: string): Promise<ProjectMember | undefined> {
    return (await this.members(db, projectId)).find((m) => m.userId === userId);
  },

  /** Adds a member; false when the user already is one. */
  async addMember(db: Queryable, projectId: string, userId: string, role: ProjectRole): Promise<boolean> {
    const { rows } = await db.query(
      `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, user_id) DO NOTHING RETURNING 1`,
      [projectId, userId, role],
    );
    return rows.length === 1;
  },

  async setRole(db: Queryable, projectId: string, userId: string, role: ProjectRole): Promise<void> {
    await db.query('UPDATE project_members SET role = $3 WHERE project_id = $1 AND user_id = $2', [
      projectId,
      userId,
      role,
    ]);
  },

  async setOwner(db: Queryable, projectId: string, ownerId: string): Promise<void> {
    await db.query('UPDATE projects SET owner_id = $2, updated_at = now() WHERE id = $1', [
      projectId,
      ownerId,
    ]);
  },

  async removeMember(db: Queryable, projectId: string, userId: string): Promise<void> {
    await db.query('DELETE FROM project_members WHERE project_id = $1 AND user_id = $2', [projectId, userId]);
  },
};
