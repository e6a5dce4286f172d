import type { ProjectRole } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { ForbiddenError, NotFoundError } from '../http/errors.js';

/**
 * The one place that says who may touch what. A project's members read its tasks; editors and the owner
 * write them; only the owner manages the project and its members. A member lacking a right is told so (403);
 * anyone else learns nothing, not even that the thing exists (404). Every route, the stream, the calendar and
 * the consumers ask here, through these functions or the SQL fragments below.
 */
export type Right = 'read' | 'write' | 'manage';

const RIGHTS: Record<ProjectRole, readonly Right[]> = {
  owner: ['read', 'write', 'manage'],
  editor: ['read', 'write'],
  viewer: ['read'],
};

/** Whether a role (undefined: not a member) carries a right. */
export function allows(role: ProjectRole | null | undefined, right: Right): boolean {
  return role != null && RIGHTS[role].includes(right);
}

/**
 * Throws unless `role` carries `right`: NotFound for a non-member (named as `what`, so the answer is the
 * same as for an id that does not exist), Forbidden for a member without the right.
 */
export function requireRight(role: ProjectRole | null | undefined, right: Right, what: string): ProjectRole {
  if (role == null) throw new NotFoundError(`${what} does not exist.`);
  if (!allows(role, right)) {
    throw new ForbiddenError(
      right === 'manage'
        ? `Only the project's owner may do this; you are ${role === 'editor' ? 'an editor' : 'a viewer'}.`
        : 'You can read this project but not change it (you are a viewer).',
    );
  }
  return role;
}

/** SQL: the ids of the projects user `$n` reads (is a member of). */
export const readableProjectsSql = (userParam: string): string =>
  `SELECT project_id FROM project_members WHERE user_id = ${userParam}`;

/** The roles that carry `right`, as an SQL list of literals (from RIGHTS, never from input). */
const rolesWithSql = (right: Right): string =>
  (Object.keys(RIGHTS) as ProjectRole[])
    .filter((role) => allows(role, right))
    .map((role) => `'${role}'`)
    .join(', ');

/**
 * SQL: whether the user in `userExpr` holds `right` on the task whose id is `taskExpr`: a member of its project
 * in a role that carries the right (every member reads).
 */
export const taskRightSql = (taskExpr: string, userExpr: string, right: Right): string =>
  `EXISTS (SELECT 1 FROM tasks t JOIN project_members m ON m.project_id = t.project_id
           WHERE t.id = ${taskExpr} AND m.user_id = ${userExpr}${
             right === 'read' ? '' : ` AND m.role IN (${rolesWithSql(right)})`
           })`;

/** SQL: who may see the events of the project in `projectColumn` (its members), as rows of `user_id`. */
export const audienceSql = (projectColumn: string): string =>
  `SELECT m.user_id FROM project_members m WHERE m.project_id = ${projectColumn}`;

/** SQL: the role of user `$n` in the project of the row whose project column is `projectColumn` (NULL: none). */
export const roleSql = (projectColumn: string, userParam: string): string =>
  `(SELECT role FROM project_members m WHERE m.project_id = ${projectColumn} AND m.user_id = ${userParam})`;

export const access = {
  /** The user's role in a project, or undefined when it is not a member (or the project does not exist). */
  async roleIn(db: Queryable, userId: string, projectId: string): Promise<ProjectRole | undefined> {
    const { rows } = await db.query<{ role: ProjectRole }>(
      'SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2',
      [projectId, userId],
    );
    return rows[0]?.role;
  },

  /** Requires a right on a project (404 for a non-member, 403 for a member without it); returns the role. */
  async requireProject(db: Queryable, userId: string, projectId: string, right: Right): Promise<ProjectRole> {
    return requireRight(await this.roleIn(db, userId, projectId), right, `Project ${projectId}`);
  },

  /** Which of these task ids the user may read or write. */
  async taskIds(
    db: Queryable,
    userId: string,
    taskIds: readonly string[],
    right: Right,
  ): Promise<Set<string>> {
    if (taskIds.length === 0) return new Set();
    const { rows } = await db.query<{ id: string }>(
      `SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE ${taskRightSql('x.id', '$2', right)}`,
      [taskIds, userId],
    );
    return new Set(rows.map((r) => r.id));
  },

  /** Which of these users are members of the project (an assignee must be one). */
  async members(db: Queryable, projectId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const { rows } = await db.query<{ user_id: string }>(
      'SELECT user_id FROM project_members WHERE project_id = $1 AND user_id = ANY($2::text[])',
      [projectId, userIds],
    );
    return new Set(rows.map((r) => r.user_id));
  },

  /** The users who may see each project's events: its members now. */
  async audiences(db: Queryable, projectIds: readonly string[]): Promise<Map<string, string[]>> {
    const audiences = new Map<string, string[]>();
    if (projectIds.length === 0) return audiences;
    const { rows } = await db.query<{ project_id: string; user_id: string }>(
      'SELECT project_id, user_id FROM project_members WHERE project_id = ANY($1::uuid[]) ORDER BY user_id',
      [[...new Set(projectIds)]],
    );
    for (const r of rows) audiences.set(r.project_id, [...(audiences.get(r.project_id) ?? []), r.user_id]);
    return audiences;
  },
};
