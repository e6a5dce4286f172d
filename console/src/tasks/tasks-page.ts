import type { TagCount, Task } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure } from '../api/errors.js';
import '../quick-add/quick-add-box.js';
import type { ProjectChoice, QuickAddBox, QuickAddInput } from '../quick-add/quick-add-box.js';
import '../ui/error-banner.js';
import { NavigateEvent } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import { StoreController } from '../ui/store-controller.js';
import { type BulkAction, runBulk } from './bulk-actions.js';
import './bulk-toolbar.js';
import './filter-bar.js';
import './task-list.js';
import type { RowActionDetail, TaskList } from './task-list.js';
import type { TaskStore } from './task-store.js';
import {
  deletedWithUndo,
  type NotifyDetail,
  toast,
  toggleComplete,
  type UndoScope,
  undoAction,
} from './task-undo.js';
import type { TasksApi } from './tasks-api.js';
import { isFiltered, type ViewState } from './view-state.js';

/** The task screen: quick add, filters, the list, bulk actions. Emits `view-change` and `notify` (NotifyDetail). */
@customElement('tasks-page')
export class TasksPage extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .stack > * + * {
        margin-top: 14px;
      }
      .list-card {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        overflow: hidden;
        background: var(--surface);
        box-shadow: var(--shadow);
      }
      .footer {
        margin: 0;
        padding: 10px 14px;
        font-size: 13px;
        text-align: center;
      }
      .empty {
        padding: 40px 16px;
        text-align: center;
      }
      .empty h2 {
        font-size: 17px;
        margin: 0 0 6px;
      }
      .skeleton {
        height: 56px;
        border-bottom: 1px solid var(--border);
        background: linear-gradient(90deg, var(--surface) 0, var(--surface-2) 50%, var(--surface) 100%);
      }
    `,
  ];

  @property({ attribute: false }) store!: TaskStore;
  @property({ attribute: false }) api!: TasksApi;
  @property({ attribute: false }) tags: TagCount[] = [];
  @property() timeZone = 'UTC';
  /** The screen's one h1, for screen readers (the header and the list show where you are). */
  @property() heading = 'Tasks';
  /** Projects quick add can file into by name ("~errands", "in Errands"). */
  @property({ attribute: false }) projects: ProjectChoice[] = [];
  @state() private selecting = false;
  @state() private selected = new Set<string>();
  @state() private pending = new Set<string>();
  @state() private focusedIndex = -1;
  @query('quick-add-box') private quickAdd!: QuickAddBox;
  @query('task-list') private list!: TaskList;

  constructor() {
    super();
    new StoreController(this, () => this.store);
  }

  override render() {
    const s = this.store;
    return html`<h1 class="visually-hidden">${this.heading}</h1>
      <div class="stack">
      <quick-add-box .create=${(input: QuickAddInput) => this.create(input)} .timeZone=${this.timeZone} .projects=${this.projects}></quick-add-box>
      <filter-bar .view=${s.view} .tags=${this.tags} @view-change=${this.forwardView}>
        <button class="btn" aria-pressed=${this.selecting} @click=${this.toggleSelecting}>
          ${this.selecting ? 'Done selecting' : 'Select'}
        </button>
      </filter-bar>
      <error-banner .error=${s.error} @retry=${() => s.retry()}></error-banner>
      ${
        s.loaded || s.loading
          ? html`<section class="list-card" aria-busy=${s.loading}>
            ${this.selecting ? this.renderBulkToolbar() : null} ${this.renderBody()}
          </section>`
          : null
      }
    </div>`;
  }

  private renderBody() {
    const s = this.store;
    if (!s.loaded && s.loading) return html`${[1, 2, 3, 4].map(() => html`<div class="skeleton"></div>`)}`;
    if (s.loaded && s.items.length === 0 && !s.loading) {
      return isFiltered(s.view)
        ? html`<div class="empty"><h2>No tasks match this view</h2><p class="muted">Try fewer filters or another search.</p></div>`
        : html`<div class="empty"><h2>Nothing to do</h2><p class="muted">Add a task above. Try “Water plants every 3 days #home”.</p></div>`;
    }
    return html`<task-list
        .items=${s.items}
        .selected=${this.selected}
        .pending=${this.pending}
        .selecting=${this.selecting}
        .focusedIndex=${this.focusedIndex}
        .timeZone=${this.timeZone}
        @row-action=${this.onRowAction}
        @near-end=${() => s.loadMore()}
      ></task-list>
      <p class="footer muted" role="status">
        ${s.loadingMore ? 'Loading more…' : s.nextCursor ? `${s.items.length} tasks loaded, scroll for more` : `${s.items.length} ${s.items.length === 1 ? 'task' : 'tasks'}`}
      </p>`;
  }

  private renderBulkToolbar() {
    return html`<bulk-toolbar
      .count=${this.selected.size}
      .run=${(action: BulkAction) => this.bulk(action)}
      .selectAll=${() => (this.selected = new Set(this.store.items.map((t) => t.id)))}
    ></bulk-toolbar>`;
  }

  /** The `n` shortcut. */
  focusQuickAdd(): void {
    this.quickAdd?.focus();
  }

  /** The `j` / `k` shortcuts. */
  moveFocus(delta: number): void {
    const count = this.store.items.length;
    if (!count) return;
    this.focusedIndex = Math.max(0, Math.min(count - 1, this.focusedIndex + delta));
    this.list?.focusRow(this.focusedIndex);
    if (this.focusedIndex >= count - 5) this.store.loadMore();
  }

  /** Puts keyboard focus back on the current row, e.g. after the editor closes. */
  restoreFocus(): void {
    if (this.focusedIndex >= 0) this.list?.focusRow(this.focusedIndex);
  }

  /** The `x` shortcut: completes (or reopens) the focused task. */
  toggleFocused(): void {
    const task = this.store.items[this.focusedIndex];
    if (task) this.toggleComplete(task);
  }

  /** The `e` / Enter shortcut. */
  openFocused(): void {
    const task = this.store.items[this.focusedIndex];
    if (task) this.dispatchEvent(new NavigateEvent(`/tasks/${encodeURIComponent(task.id)}`));
  }

  private async create(input: QuickAddInput) {
    const task = await this.api.create(input);
    this.store.upsert(task);
    if (!this.store.items.some((t) => t.id === task.id))
      this.notify(`Added “${task.title}” (hidden by the current view)`);
  }

  private onRowAction(e: CustomEvent<RowActionDetail>) {
    const { action, task, index } = e.detail;
    this.focusedIndex = index;
    if (action === 'open') this.dispatchEvent(new NavigateEvent(`/tasks/${encodeURIComponent(task.id)}`));
    else if (action === 'complete') this.toggleComplete(task);
    else {
      const next = new Set(this.selected);
      if (next.has(task.id)) next.delete(task.id);
      else next.add(task.id);
      this.selected = next;
    }
  }

  /** Where this screen's actions and their Undo land: the main list's store. */
  private get scope(): UndoScope {
    return { host: this, api: this.api, sink: this.store };
  }

  private async toggleComplete(task: Task) {
    this.pending = new Set(this.pending).add(task.id);
    const updated = await toggleComplete(this.scope, task, { retry: () => this.toggleComplete(task) });
    if (!updated) this.requestUpdate();
    const next = new Set(this.pending);
    next.delete(task.id);
    this.pending = next;
  }

  /** The editor deleted `task`: it leaves the list at once, with Undo to bring it back from the Trash. */
  deleted(task: Task): void {
    this.store.remove(task.id);
    deletedWithUndo(this.scope, task);
  }

  private toggleSelecting() {
    this.selecting = !this.selecting;
    this.selected = new Set();
  }

  /** Acts at once, no confirmation: the toast's Undo reverses it for the tasks it changed. */
  private async bulk(action: BulkAction, only?: Task[]) {
    const tasks = only ?? this.store.items.filter((t) => this.selected.has(t.id));
    const { done, failed, firstError, changed } = await runBulk(this.api, this.store, tasks, action);
    this.selected = new Set();
    const verb = { complete: 'Completed', delete: 'Deleted', tag: 'Tagged' }[action.kind];
    if (failed.length === 0)
      this.notify(`${verb} ${done} task${done === 1 ? '' : 's'}`, {
        ...(changed.length ? { undo: () => undoAction(this.scope, action, changed) } : {}),
      });
    // Retry repeats the action for the tasks that failed, and only those.
    else
      this.notify(`${verb} ${done}; ${failed.length} failed: ${describeFailure(firstError)}`, {
        retry: () => this.bulk(action, failed),
      });
  }

  private forwardView(e: CustomEvent<ViewState>) {
    this.focusedIndex = -1;
    this.dispatchEvent(new CustomEvent('view-change', { detail: e.detail }));
  }

  /** A toast, with Undo for what was just done or Retry for what failed. */
  private notify(text: string, actions: Omit<NotifyDetail, 'text'> = {}) {
    toast(this, { text, ...actions });
  }
}
