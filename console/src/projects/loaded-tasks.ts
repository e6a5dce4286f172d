import type { Page } from '@todo/contract';
import type { PlacedTask } from './project-types.js';

/**
 * A project's open tasks as far as they are loaded: the pages fetched so far (the API's `sort=manual`, every
 * level mixed, so a subtask may come pages before its parent), where the next page starts, and what live
 * changes said meanwhile. Pure: every change returns a new value.
 */
export interface LoadedTasks {
  /** In manual order: order key, then id, as the API pages them. */
  readonly items: PlacedTask[];
  /** The next page; null once every open task is loaded. */
  readonly cursor: string | null;
  /** Pages fetched. */
  readonly pages: number;
  /** The last task of the last page: a task not loaded that sorts after it comes with a later page. */
  readonly last: Pick<PlacedTask, 'id' | 'order'> | null;
  /**
   * Tasks that left the list (completed, moved away, deleted) → the version they left at: a page fetched
   * before they left, answered after, must not bring them back.
   */
  readonly left: ReadonlyMap<string, number>;
}

export const NO_TASKS: LoadedTasks = { items: [], cursor: null, pages: 0, last: null, left: new Map() };

/** Manual order: by order key as plain (byte-wise) text, then by id, as `sort=manual`'s keyset does. */
export function byOrder(a: Pick<PlacedTask, 'id' | 'order'>, b: Pick<PlacedTask, 'id' | 'order'>): number {
  const x = a.order ?? '';
  const y = b.order ?? '';
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The next page merged in: a task already here keeps its newer version, one that left stays out. */
export function addPage(loaded: LoadedTasks, page: Page<PlacedTask>): LoadedTasks {
  const byId = new Map(loaded.items.map((t) => [t.id, t]));
  for (const t of page.items) {
    const gone = loaded.left.get(t.id);
    if (gone !== undefined && gone >= t.version) continue;
    const current = byId.get(t.id);
    if (!current || current.version < t.version) byId.set(t.id, t);
  }
  return {
    ...loaded,
    items: [...byId.values()].sort(byOrder),
    cursor: page.nextCursor,
    pages: loaded.pages + 1,
    last: page.items.at(-1) ?? loaded.last,
  };
}

/**
 * A task as it is now (a live change, or the answer to this page's own request). `belongs`: it is open and
 * in this project. A task not loaded that sorts past the pages loaded is left for its page, unless `keep`
 * (the user just made it here and expects to see it; its page later finds it already here).
 */
export function upsertTask(
  loaded: LoadedTasks,
  task: PlacedTask,
  belongs: boolean,
  keep = false,
): LoadedTasks {
  const current = loaded.items.find((t) => t.id === task.id);
  if (current && current.version > task.version) return loaded;
  const rest = current ? loaded.items.filter((t) => t.id !== task.id) : loaded.items;
  const left = new Map(loaded.left);
  if (!belongs) {
    left.set(task.id, Math.max(task.version, left.get(task.id) ?? 0));
    return { ...loaded, items: rest, left };
  }
  left.delete(task.id);
  const later =
    !current && !keep && loaded.cursor !== null && !!loaded.last && byOrder(task, loaded.last) > 0;
  if (later) return { ...loaded, left };
  return { ...loaded, items: [...rest, task].sort(byOrder), left };
}

/**
 * Tasks taken out of the list (completed with their parent, moved to another project, deleted): out until a
 * newer version says they belong again. `deleted` keeps them out of pages whatever version those bring.
 */
export function removeTasks(loaded: LoadedTasks, ids: ReadonlySet<string>, deleted = false): LoadedTasks {
  const left = new Map(loaded.left);
  for (const t of loaded.items)
    if (ids.has(t.id)) left.set(t.id, deleted ? Number.POSITIVE_INFINITY : t.version);
  if (deleted) for (const id of ids) left.set(id, Number.POSITIVE_INFINITY);
  return { ...loaded, items: loaded.items.filter((t) => !ids.has(t.id)), left };
}
