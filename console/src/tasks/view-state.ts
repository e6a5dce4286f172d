import type { Priority } from '@todo/contract';
import { PRIORITIES } from '@todo/contract/constants';
import { zonedWallClockToInstant } from '@todo/recurrence';
import { addDays, parseWallTime } from '../time/zoned.js';

/** The list view a user is looking at: search, filters and sort, kept in the URL so it can be shared. */

export const STATUSES = ['open', 'completed', 'all'] as const;
export type Status = (typeof STATUSES)[number];
export const SORT_KEYS = ['due', 'priority', 'created', 'updated', 'title'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Sort = SortKey | `-${SortKey}`;

export interface ViewState {
  q: string;
  status: Status;
  priority: Priority[];
  tags: string[];
  tagMode: 'any' | 'all';
  /** Calendar dates (YYYY-MM-DD) in the user's zone, inclusive. */
  dueAfter: string | null;
  dueBefore: string | null;
  overdue: boolean;
  recurring: boolean;
  sort: Sort;
}

export const DEFAULT_VIEW: Readonly<ViewState> = {
  q: '',
  status: 'open',
  priority: [],
  tags: [],
  tagMode: 'any',
  dueAfter: null,
  dueBefore: null,
  overdue: false,
  recurring: false,
  sort: 'due',
};

/** Reads a view from a query string; unknown or malformed values fall back to the defaults. */
export function viewFromQuery(params: URLSearchParams): ViewState {
  const status = params.get('status');
  const sort = params.get('sort') ?? '';
  const priorities = (params.get('priority') ?? '').split(',');
  return {
    q: (params.get('q') ?? '').trim(),
    status: (STATUSES as readonly string[]).includes(status ?? '') ? (status as Status) : 'open',
    priority: PRIORITIES.filter((p) => priorities.includes(p)),
    tags: normaliseTags(params.getAll('tag')),
    tagMode: params.get('tagMode') === 'all' ? 'all' : 'any',
    dueAfter: validDate(params.get('dueAfter')),
    dueBefore: validDate(params.get('dueBefore')),
    overdue: params.get('overdue') === 'true',
    recurring: params.get('recurring') === 'true',
    sort: (SORT_KEYS as readonly string[]).includes(sort.replace(/^-/, '')) ? (sort as Sort) : 'due',
  };
}

/** The query string of a view, leaving defaults out so URLs stay short. */
export function viewToQuery(view: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  if (view.q) p.set('q', view.q);
  if (view.status !== 'open') p.set('status', view.status);
  if (view.priority.length) p.set('priority', view.priority.join(','));
  for (const tag of view.tags) p.append('tag', tag);
  if (view.tagMode !== 'any' && view.tags.length) p.set('tagMode', view.tagMode);
  if (view.dueAfter) p.set('dueAfter', view.dueAfter);
  if (view.dueBefore) p.set('dueBefore', view.dueBefore);
  if (view.overdue) p.set('overdue', 'true');
  if (view.recurring) p.set('recurring', 'true');
  if (view.sort !== 'due') p.set('sort', view.sort);
  return p;
}

/** The `GET /tasks` query for a view; due dates become instants bounding whole days in `timeZone`. */
export function viewToApiQuery(
  view: ViewState,
  timeZone: string,
  page: { limit: number; cursor?: string | null },
) {
  const p = new URLSearchParams({ status: view.status, sort: view.sort, limit: String(page.limit) });
  if (view.q) p.set('q', view.q);
  if (view.priority.length) p.set('priority', view.priority.join(','));
  for (const tag of view.tags) p.append('tag', tag);
  if (view.tags.length > 1) p.set('tagMode', view.tagMode);
  const after = view.dueAfter ? parseWallTime(view.dueAfter) : null;
  const before = view.dueBefore ? parseWallTime(view.dueBefore) : null;
  if (after) p.set('dueAfter', zonedWallClockToInstant(after, timeZone).toISOString());
  if (before) p.set('dueBefore', zonedWallClockToInstant(addDays(before, 1), timeZone).toISOString());
  if (view.overdue) p.set('overdue', 'true');
  if (view.recurring) p.set('recurring', 'true');
  if (page.cursor) p.set('cursor', page.cursor);
  return p;
}

/** True when the view narrows the list beyond the default "open tasks". */
export function isFiltered(view: ViewState): boolean {
  return viewToQuery({ ...view, sort: 'due' }).toString() !== '';
}

/** Tags as the API stores them: trimmed, lower-cased, 1–40 characters, no duplicates. */
export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0 && t.length <= 40))];
}

function validDate(value: string | null): string | null {
  return value && parseWallTime(value) ? value : null;
}
