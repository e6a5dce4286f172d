import { PRIORITIES } from '@todo/contract';

/** `Date.prototype.toISOString()` in SQL: UTC, milliseconds (truncated like the driver's `Date`), `Z`. */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The public Task (what `toTask` minus owner and series position gives) as PostgreSQL projects it from a
 * row named `page`, key for key: a list page is serialised by PostgreSQL and passed through untouched,
 * which spares the API parsing every column and formatting every date (see docs/benchmarks.md).
 */
const PUBLIC_TASK_PROJECTION = [
  'page.id',
  'page.title',
  'page.description',
  'page.completed',
  `${isoText('page.completed_at')} AS "completedAt"`,
  `(ARRAY[${PRIORITIES.map((p) => `'${p}'`).join(', ')}])[page.priority + 1] AS priority`,
  'page.tags',
  `${isoText('page.due_at')} AS "dueAt"`,
  'page.time_zone AS "timeZone"',
  'page.reminders',
  `CASE WHEN page.recurrence_rule IS NULL THEN NULL ELSE json_build_object('rule', page.recurrence_rule,
     'from', coalesce(page.recurrence_from, 'due')) END AS recurrence`,
  'page.series_id AS "seriesId"',
  'page.project_id AS "projectId"',
  'page.assignee_id AS "assigneeId"',
  `${isoText('page.created_at')} AS "createdAt"`,
  `${isoText('page.updated_at')} AS "updatedAt"`,
  'page.version',
  'page.parent_id AS "parentId"',
  'page.sort_order AS "order"',
].join(', ');

/** Wraps the page query (ordered, limit + 1) so each row comes back as its public JSON, in page order. */
export function listPageSql(pageSql: string): string {
  return `SELECT row_to_json(j)::text AS json, page.sort_key, page.id
    FROM (${pageSql}) page CROSS JOIN LATERAL (SELECT ${PUBLIC_TASK_PROJECTION}) j`;
}
