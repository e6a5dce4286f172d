import type { Task } from '@todo/contract';
import type { StreamEvent } from '../stream/stream-event.js';
import { LatestLoad } from './latest-load.js';
import { placeTask } from './task-order.js';
import type { TasksApi } from './tasks-api.js';
import { DEFAULT_VIEW, type ViewState, viewToApiQuery } from './view-state.js';

/** Tasks fetched per request; the virtualised list asks for the next page as the user nears the end. */
export const PAGE_SIZE = 100;

/** The loaded part of the current view, kept in sync with the stream; emits `change` on every update. */
export class TaskStore extends LatestLoad {
  items: Task[] = [];
  nextCursor: string | null = null;
  view: ViewState = DEFAULT_VIEW;
  loadingMore = false;

  constructor(
    private readonly api: TasksApi,
    private readonly timeZone: string,
  ) {
    super();
  }

  /** Loads the first page of `view`, discarding responses to views the user has already left. */
  async load(view: ViewState): Promise<void> {
    this.view = view;
    await this.loadLatest(
      () => this.api.list(viewToApiQuery(view, this.timeZone, { limit: PAGE_SIZE })),
      (page) => {
        this.items = page.items;
        this.nextCursor = page.nextCursor;
      },
    );
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore || this.loading) return;
    const generation = this.generation;
    this.loadingMore = true;
    this.changed();
    try {
      const query = viewToApiQuery(this.view, this.timeZone, { limit: PAGE_SIZE, cursor: this.nextCursor });
      const page = await this.api.list(query);
      if (generation !== this.generation) return;
      const known = new Set(this.items.map((t) => t.id));
      this.items = [...this.items, ...page.items.filter((t) => !known.has(t.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      if (generation === this.generation) this.error = err;
    } finally {
      this.loadingMore = false;
      this.changed();
    }
  }

  /** Forgets everything loaded, so the next user never sees the previous user's tasks. */
  reset(): void {
    this.generation++;
    this.items = [];
    this.nextCursor = null;
    this.loaded = false;
    this.loading = false;
    this.error = null;
    this.changed();
  }

  /** Re-runs whatever failed last: the first page or the next one. */
  retry(): Promise<void> {
    return this.loaded && this.nextCursor ? this.loadMore() : this.load(this.view);
  }

  /** Puts a task where the view says it belongs (or removes it); newer versions only. */
  upsert(task: Task): void {
    const current = this.items.find((t) => t.id === task.id);
    if (current && current.version > task.version) return;
    const next = placeTask(this.items, task, this.view, new Date(), this.nextCursor === null);
    if (next !== this.items) {
      this.items = next;
      this.changed();
    }
  }

  remove(id: string): void {
    const next = this.items.filter((t) => t.id !== id);
    if (next.length !== this.items.length) {
      this.items = next;
      this.changed();
    }
  }

  apply(event: StreamEvent): void {
    if (event.type === 'task.deleted') this.remove(event.id);
    else if (event.type !== 'notification') this.upsert(event.task);
  }
}
