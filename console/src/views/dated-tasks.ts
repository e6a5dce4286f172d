import type { Task } from '@todo/contract';
import { collectPages } from '../api/pages.js';
import type { PlacedTask } from '../projects/project-types.js';
import { LatestLoad } from '../tasks/latest-load.js';
import type { TasksApi } from '../tasks/tasks-api.js';

/** Pages fetched for one dated view at most: 10 × 200 tasks. */
const MAX_PAGES = 10;

/** What a dated view shows: due before `end` (and from `start` when given), open only or all. */
export interface DateRange {
  start: Date | null;
  end: Date;
  status: 'open' | 'all';
}

/**
 * The tasks of a dated view (Today, Upcoming, a calendar month), sorted by due time and kept in step with
 * live changes; emits `change`.
 */
export class DatedTasks extends LatestLoad {
  items: PlacedTask[] = [];
  /** True when the range held more than the view fetches. */
  truncated = false;
  private range: DateRange | null = null;

  constructor(private readonly api: TasksApi) {
    super();
  }

  async load(range: DateRange): Promise<void> {
    this.range = range;
    await this.loadLatest(
      async (stale) => {
        const pages = await collectPages(
          (cursor) => {
            const q = new URLSearchParams({ status: range.status, sort: 'due', limit: '200' });
            if (range.start) q.set('dueAfter', range.start.toISOString());
            q.set('dueBefore', range.end.toISOString());
            if (cursor) q.set('cursor', cursor);
            return this.api.list(q);
          },
          { maxPages: MAX_PAGES, stale },
        );
        return { items: pages.flatMap((p) => p.items), cursor: pages.at(-1)?.nextCursor ?? null };
      },
      ({ items, cursor }) => {
        this.items = items;
        this.truncated = cursor !== null;
      },
    );
  }

  retry(): Promise<void> | undefined {
    return this.range ? this.load(this.range) : undefined;
  }

  /** Whether a task belongs in the loaded range. */
  includes(task: Task): boolean {
    const r = this.range;
    if (!r || !task.dueAt || (r.status === 'open' && task.completed)) return false;
    const due = Date.parse(task.dueAt);
    return due < r.end.getTime() && (!r.start || due >= r.start.getTime());
  }

  /** Places a changed task (newer versions only): in, out, or moved to its due time. */
  upsert(task: PlacedTask): void {
    const current = this.items.find((t) => t.id === task.id);
    if (current && current.version > task.version) return;
    const rest = this.items.filter((t) => t.id !== task.id);
    if (!this.includes(task)) {
      if (rest.length !== this.items.length) this.set(rest);
      return;
    }
    this.set([...rest, task].sort(byDue));
  }

  remove(id: string): void {
    if (this.items.some((t) => t.id === id)) this.set(this.items.filter((t) => t.id !== id));
  }

  private set(items: PlacedTask[]) {
    this.items = items;
    this.changed();
  }
}

function byDue(a: Task, b: Task): number {
  return Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
