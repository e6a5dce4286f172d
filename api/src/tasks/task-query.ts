import { type ListTasksQuery, PRIORITIES, type SortField } from '@todo/contract';
import { decodeCursor, TIMESTAMPTZ_TEXT } from '../pagination/keyset-cursor.js';
import { LIVE } from './task-row.js';
import { viewWindow } from './task-views.js';

type SortKeyType = 'timestamptz' | 'smallint' | 'text';

/** SQL expression per sort; each has an index of the same shape (see migration 001). */
const SORT_EXPRESSIONS: Record<SortField, { asc: string; desc: string; cast: SortKeyType }> = {
  due: {
    asc: "coalesce(due_at, 'infinity'::timestamptz)",
    desc: "coalesce(due_at, '-infinity'::timestamptz)",
    cast: 'timestamptz',
  },
  priority: { asc: 'priority', desc: 'priority', cast: 'smallint' },
  created: { asc: 'created_at', desc: 'created_at', cast: 'timestamptz' },
  updated: { asc: 'updated_at', desc: 'updated_at', cast: 'timestamptz' },
  title: { asc: 'lower(title) COLLATE "C"', desc: 'lower(title) COLLATE "C"', cast: 'text' },
  // Order keys compare byte by byte (the column's collation is "C", migration 010).
  manual: { asc: 'sort_order', desc: 'sort_order', cast: 'text' },
};

/** A cursor's sort key must read as the sort's SQL type, or PostgreSQL would fail on the cast. */
const SORT_KEY_FORMATS: Record<SortKeyType, (key: string) => boolean> = {
  timestamptz: (key) => TIMESTAMPTZ_TEXT.test(key),
  smallint: (key) => /^[0-4]$/.test(key),
  text: () => true,
};

/** Turns free text into a prefix-matching tsquery of at most ten words; punctuation never reaches SQL syntax. */
export function toPrefixTsQuery(q: string): string | undefined {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

/**
 * Builds the keyset-paginated list query over the projects a user reads: every filter of the contract, one
 * sort, limit + 1 rows. `now` places the date views.
 *
 * The page is taken project by project (a LATERAL subquery per membership, each reading at most limit + 1
 * rows in index order from the project-led index of its sort) and the pages merged: the rows of one project
 * come out of its index already ordered, while `project_id IN (…)` over all of them would read every open
 * task of every project the user is in and sort them, for 51 rows.
 */
export function buildListQuery(
  userId: string,
  query: ListTasksQuery,
  columns: string,
  now: Date = new Date(),
): BuiltQuery {
  const params: unknown[] = [userId];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['project_id = m.project_id', LIVE];
  const memberships = ['m.user_id = $1'];
  if (query.projectId) memberships.push(`m.project_id = ${p(query.projectId)}::uuid`);
  if (query.assignee) where.push(`assignee_id = ${query.assignee === 'me' ? '$1' : p(query.assignee)}`);
  if (query.view) {
    const { from, until } = viewWindow(query.view, query.timeZone ?? 'UTC', now);
    const fromParam = p(from.toISOString());
    const untilParam = p(until.toISOString());
    where.push(
      query.view === 'today'
        ? `due_at < ${untilParam}::timestamptz AND (completed = false OR due_at >= ${fromParam}::timestamptz)`
        : `due_at >= ${fromParam}::timestamptz AND due_at < ${untilParam}::timestamptz`,
    );
  }
  if (query.status === 'open') where.push('completed = false');
  if (query.status === 'completed') where.push('completed = true');
  if (query.priority?.length)
    where.push(`priority = ANY(${p(query.priority.map((x) => PRIORITIES.indexOf(x)))}::smallint[])`);
  if (query.tag?.length) where.push(`tags ${query.tagMode === 'all' ? '@>' : '&&'} ${p(query.tag)}::text[]`);
  if (query.dueBefore) where.push(`due_at < ${p(query.dueBefore)}::timestamptz`);
  if (query.dueAfter) where.push(`due_at >= ${p(query.dueAfter)}::timestamptz`);
  if (query.overdue === true) where.push('completed = false AND due_at < now()');
  if (query.overdue === false) where.push('(due_at IS NULL OR due_at >= now() OR completed = true)');
  if (query.recurring === true) where.push('recurrence_rule IS NOT NULL');
  if (query.recurring === false) where.push('recurrence_rule IS NULL');
  if (query.parentId === 'none') where.push('parent_id IS NULL');
  else if (query.parentId) where.push(`parent_id = ${p(query.parentId)}::uuid`);
  if (query.q) {
    const ts = toPrefixTsQuery(query.q);
    if (ts) {
      const tsParam = p(ts);
      where.push(`search @@ (to_tsquery('english', ${tsParam}) || to_tsquery('simple', ${tsParam}))`);
    } else {
      where.push('false');
    }
  }
  const descending = query.sort.startsWith('-');
  const field = query.sort.replace(/^-/, '') as SortField;
  const spec = SORT_EXPRESSIONS[field];
  const expr = descending ? spec.desc : spec.asc;
  if (query.cursor) {
    const after = decodeCursor(query.cursor, query.sort, SORT_KEY_FORMATS[spec.cast]);
    where.push(
      `(${expr}, id) ${descending ? '<' : '>'} (${p(after.key)}::${spec.cast}, ${p(after.id)}::uuid)`,
    );
  }
  const dir = descending ? 'DESC' : 'ASC';
  const limit = p(query.limit + 1);
  const perProject = `SELECT ${columns}, ${expr} AS sort_value FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${expr} ${dir}, id ${dir} LIMIT ${limit}`;
  const sql = `SELECT t.*, t.sort_value::text AS sort_key FROM project_members m CROSS JOIN LATERAL (${perProject}) t WHERE ${memberships.join(' AND ')} ORDER BY t.sort_value ${dir}, t.id ${dir} LIMIT ${limit}`;
  return { sql, params };
}
