import type { Task } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { describeFailure } from '../api/errors.js';
import type { ProjectDrop } from '../dnd/task-groups.js';
import { moveBack, placeOf } from '../projects/move-undo.js';
import { colorOf, type PlacedTask } from '../projects/project-types.js';
import { toggleComplete } from '../tasks/task-undo.js';
import { page } from '../ui/shared-styles.js';
import { StoreController } from '../ui/store-controller.js';
import { DatedTasks } from './dated-tasks.js';
import { type LiveView, notify, notifyUndo, type ViewContext } from './view-context.js';

/** What Today, Upcoming and the calendar share: a dated task store, live updates, complete and move. */
export abstract class DatedView extends LitElement implements LiveView {
  static override styles = [
    page,
    css`
      h1 .muted {
        font-size: 14px;
        font-weight: 400;
        margin-left: 8px;
      }
      error-banner {
        display: block;
        margin-bottom: 12px;
      }
    `,
  ];

  @property({ attribute: false }) ctx!: ViewContext;
  protected store!: DatedTasks;

  constructor() {
    super();
    new StoreController(this, () => this.store);
  }

  /** Loads what the view shows, from the current clock. */
  protected abstract reload(): void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.store ??= new DatedTasks(this.ctx.tasks);
    this.reload();
  }

  taskChanged(task: Task): void {
    this.store.upsert(task);
  }

  taskRemoved(id: string): void {
    this.store.remove(id);
  }

  protected banner() {
    return html`<error-banner .error=${this.store.error} @retry=${() => this.store.retry()}></error-banner>`;
  }

  /** Project id → name and colour, for the chips on rows. */
  protected projectNames() {
    return new Map(
      this.ctx.projects.items.map((p) => [p.id, { name: p.inbox ? 'Inbox' : p.name, color: colorOf(p) }]),
    );
  }

  /** The view's copy of a task, for the editor when the server cannot be reached. */
  cachedTask(id: string): Task | undefined {
    return this.store.items.find((t) => t.id === id);
  }

  /** Completes or reopens, with the main list's Undo: the task comes back into this view in its place. */
  protected async complete(task: PlacedTask) {
    const scope = {
      host: this,
      api: this.ctx.tasks,
      sink: { upsert: (t: Task) => this.store.upsert(t as PlacedTask) },
    };
    const done = await toggleComplete(scope, task, { retry: () => this.complete(task) });
    if (done) this.ctx.projects.adjustCount(task.projectId, done.completed ? -1 : 1);
    else this.requestUpdate();
  }

  /** A task dropped on a sidebar project: moved there, staying on its day. */
  protected async toProject({ detail }: CustomEvent<ProjectDrop>) {
    const before = this.store.items.find((t) => t.id === detail.id);
    try {
      const moved = await this.ctx.projectsApi.move(detail.id, { projectId: detail.projectId });
      this.store.upsert(moved);
      this.ctx.projects.load();
      const text = `Moved “${moved.title}” to ${this.ctx.projects.byId(detail.projectId)?.name ?? 'the project'}`;
      if (!before) return notify(this, text);
      const undo = () => moveBack(this.ctx.projectsApi, placeOf(before));
      notifyUndo(this, text, undo, `Moved “${moved.title}” back`);
    } catch (err) {
      notify(this, `Could not move the task: ${describeFailure(err)}`);
    }
  }
}
