import { BadRequestError } from '../http/errors.js';
import type { ListTasksQuery, SortField } from './task.schemas.js';
import { PRIORITIES } from './task.schemas.js';

/** SQL expression per sort; each has an index of the same shape (see migration 001). */
const SORT_EXPRESSIONS: Record<SortField, { asc: string; desc: string; cast: string }> = {
  due: {
    asc: "coalesce(due_at, 'infinity'::timestamptz)",
    desc: "coalesce(due_at, '-infinity'::timestamptz)",
    cast: 'timestamptz',
  },
  priority: { asc: 'priority', desc: 'priority', cast: 'smallint' },
  created: { asc: 'created_at', desc: 'created_at', cast: 'timestamptz' },
  updated: { asc: 'updated_at', desc: 'updated_at', cast: 'timestamptz' },
  title: { asc: 'lower(title) COLLATE "C"', desc: 'lower(title) COLLATE "C"', cast: 'text' },
};

const TIMESTAMP_TEXT = /^(-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CursorPayload {
  s: string;
  v: string;
  i: string;
}

/** Opaque cursor: the sort it belongs to, the last row's exact sort key as PostgreSQL text, and its id. */
export function encodeCursor(sort: string, sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: sortKey, i: id } satisfies CursorPayload)).toString(
    'base64url',
  );
}

/** Decodes and checks a cursor against the current sort; anything else is a 400, never a database error. */
export function decodeCursor(cursor: string, sort: string): CursorPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is not a cursor returned by this API');
  }
  if (typeof payload !== 'object' || payload === null)
    throw invalidCursor('is not a cursor returned by this API');
  const { s, v, i } = payload as Record<string, unknown>;
  if (
    typeof s !== 'string' ||
    typeof v !== 'string' ||
    typeof i !== 'string' ||
    !UUID.test(i) ||
    v.length > 600
  ) {
    throw invalidCursor('is not a cursor returned by this API');
  }
  if (s !== sort) throw invalidCursor(`was issued for sort "${s}", not "${sort}"`);
  const field = sort.replace(/^-/, '') as SortField;
  const cast = SORT_EXPRESSIONS[field].cast;
  if (cast === 'timestamptz' && !TIMESTAMP_TEXT.test(v))
    throw invalidCursor('is not a cursor returned by this API');
  if (cast === 'smallint' && !/^[0-4]$/.test(v)) throw invalidCursor('is not a cursor returned by this API');
  return { s, v, i };
}

function invalidCursor(message: string): BadRequestError {
  return new BadRequestError(`The cursor ${message}.`, [{ path: 'cursor', message }]);
}

/** Turns free text into a prefix-matching tsquery of at most ten words; punctuation never reaches SQL syntax. */
export function toPrefixTsQuery(q: string): string | undefined {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

/** Builds the keyset-paginated list query for one user: every filter of the contract, one sort, limit + 1 rows. */
export function buildListQuery(userId: string, query: ListTasksQuery, columns: string): BuiltQuery {
  const params: unknown[] = [userId];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['user_id = $1'];
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
    const c = decodeCursor(query.cursor, query.sort);
    where.push(`(${expr}, id) ${descending ? '<' : '>'} (${p(c.v)}::${spec.cast}, ${p(c.i)}::uuid)`);
  }
  const dir = descending ? 'DESC' : 'ASC';
  const sql = `SELECT ${columns}, (${expr})::text AS sort_key FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${expr} ${dir}, id ${dir} LIMIT ${p(query.limit + 1)}`;
  return { sql, params };
}
