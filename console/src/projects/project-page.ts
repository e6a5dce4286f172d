import type { Task } from '@todo/contract';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, ProblemError } from '../api/errors.js';
import { collectPages } from '../api/pages.js';
import type { Drop } from '../dnd/drop-position.js';
import '../dnd/task-groups.js';
import type { NewSubtask, ProjectDrop } from '../dnd/task-groups.js';
import '../quick-add/quick-add-box.js';
import type { QuickAddInput } from '../quick-add/quick-add-box.js';
import '../ui/confirm-dialog.js';
import type { ConfirmDialog } from '../ui/confirm-dialog.js';
import '../ui/error-banner.js';
import { toggleComplete } from '../tasks/task-undo.js';
import { NavigateEvent } from '../ui/navigate.js';
import { controls, page } from '../ui/shared-styles.js';
import { StoreController } from '../ui/store-controller.js';
import { type LiveView, notify, notifyUndo, type ViewContext } from '../views/view-context.js';
import { addPage, type LoadedTasks, NO_TASKS, removeTasks, upsertTask } from './loaded-tasks.js';
import { moveBack, placeOf } from './move-undo.js';
import './project-dialog.js';
import { colorOf, type Member, memberName, type PlacedTask, type Project } from './project-types.js';
import './share-dialog.js';

/** Pages of a project's tasks fetched at first, and by each "Show more tasks" (200 each). */
const PAGES_PER_STEP = 10;
const count = new Intl.NumberFormat('en');

/**
 * One project: its open tasks in manual order, subtasks nested under their parents (drag to reorder, into or
 * out of a parent, or onto another project in the sidebar), quick add into it, and the owner's Share, Edit,
 * Archive and Delete. A project's open tasks come in pages of every level, the first 2,000 at once; past those,
 * "Show more tasks" at the end of the list loads 2,000 more each time, and a subtask that came before its
 * parent moves under it once the parent's page is in.
 */
@customElement('project-page')
export class ProjectPage extends LitElement implements LiveView {
  static override styles = [
    controls,
    page,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin-bottom: 14px;
      }
      h1 {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0 auto 0 0;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .dot {
        width: 12px;
        height: 12px;
        border-radius: 50%;
        flex: none;
      }
      quick-add-box,
      error-banner {
        display: block;
        margin-bottom: 14px;
      }
      .more {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-top: 12px;
      }
      .more p {
        margin: 0;
      }
      .more .btn[aria-disabled='true'] {
        opacity: 0.6;
        cursor: progress;
      }
    `,
  ];

  @property({ attribute: false }) ctx!: ViewContext;
  @property() projectId = '';
  @state() private tasks: LoadedTasks = NO_TASKS;
  @state() private loadingMore = false;
  /** "Show more tasks" was used and has loaded everything: the end of the list says so. */
  @state() private allShown = false;
  @state() private members: Member[] = [];
  @state() private loaded = false;
  @state() private error: unknown = null;
  @state() private dialog: 'share' | 'edit' | null = null;
  @query('confirm-dialog') private confirm!: ConfirmDialog;
  @query('.more p') private moreStatus?: HTMLElement;
  private generation = 0;
  /** The project whose tasks are shown. */
  private loadedId = '';

  constructor() {
    super();
    new StoreController(this, () => this.ctx?.projects);
  }

  private get project(): Project | undefined {
    return this.ctx.projects.byId(this.projectId);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('projectId')) this.load();
  }

  override render() {
    const p = this.project;
    if (!p) {
      return this.ctx.projects.items.length
        ? html`<h1>Project not found</h1><p class="muted">It was deleted, or you are no longer a member.</p>`
        : html`<p class="muted" role="status">Loading…</p>`;
    }
    const owner = p.role === 'owner';
    const canWrite = p.role !== 'viewer';
    const people = new Map(this.members.map((m) => [m.userId, memberName(m)]));
    return html`<div class="head">
        <h1>${p.inbox ? nothing : html`<span class="dot" style="background:${colorOf(p)}" aria-hidden="true"></span>`}${p.inbox ? 'Inbox' : p.name}</h1>
        ${p.archived ? html`<span class="chip">Archived</span>` : nothing}
        ${owner ? nothing : html`<span class="chip">Shared with you · ${p.role}</span>`}
        ${p.inbox ? nothing : html`<button class="btn" @click=${() => (this.dialog = 'share')}>${owner ? 'Share' : 'Members'}</button>`}
        ${
          owner && !p.inbox
            ? html`<button class="btn" @click=${() => (this.dialog = 'edit')}>Edit</button>
                <button class="btn" @click=${this.toggleArchived}>${p.archived ? 'Unarchive' : 'Archive'}</button>
                <button class="btn danger" @click=${this.deleteProject}>Delete</button>`
            : nothing
        }
      </div>
      ${
        canWrite
          ? html`<quick-add-box
              .create=${(input: QuickAddInput) => this.create(input)}
              .timeZone=${this.ctx.timeZone}
              .projects=${this.ctx.projects.writable().map((w) => ({ id: w.id, name: w.inbox ? 'Inbox' : w.name }))}
            ></quick-add-box>`
          : nothing
      }
      <error-banner .error=${this.error} @retry=${() => this.load()}></error-banner>
      ${
        this.loaded
          ? html`<task-groups
              ?sortable=${canWrite}
              tree
              .groups=${[{ key: p.id, label: 'Tasks', tasks: this.items, empty: 'No open tasks in this project.', more: !!this.tasks.cursor }]}
              .people=${people}
              .timeZone=${this.ctx.timeZone}
              base="/projects/${encodeURIComponent(p.id)}"
              @complete=${(e: CustomEvent<PlacedTask>) => this.complete(e.detail)}
              @task-drop=${this.reorder}
              @add-subtask=${this.addSubtask}
              @task-to-project=${this.toProject}
            ></task-groups>
            ${this.renderMore()}`
          : html`<p class="muted" role="status">Loading…</p>`
      }
      ${this.renderDialog(p)}
      <confirm-dialog></confirm-dialog>`;
  }

  /** The end of a list not loaded whole: how much is shown, and the button that loads the next pages. */
  private renderMore() {
    const shown = count.format(this.items.length);
    if (!this.tasks.cursor)
      return this.allShown
        ? html`<div class="more"><p class="muted" role="status" tabindex="-1">All ${shown} open tasks are shown.</p></div>`
        : nothing;
    return html`<div class="more">
      <p id="more-status" class="muted" role="status">
        ${this.loadingMore ? 'Loading more tasks…' : `${shown} of the project’s open tasks are shown; it has more.`}
      </p>
      <button
        class="btn"
        aria-describedby="more-status"
        aria-disabled=${this.loadingMore ? 'true' : 'false'}
        @click=${this.showMore}
      >Show more tasks</button>
    </div>`;
  }

  private renderDialog(p: Project) {
    if (this.dialog === 'edit')
      return html`<project-dialog .api=${this.ctx.projectsApi} .projects=${this.ctx.projects} .project=${p} @close=${() => (this.dialog = null)}></project-dialog>`;
    if (this.dialog === 'share')
      return html`<share-dialog
        .api=${this.ctx.projectsApi}
        .project=${p}
        .userId=${this.ctx.userId}
        @members=${this.membersChanged}
        @left=${this.afterLeaving}
        @close=${() => (this.dialog = null)}
      ></share-dialog>`;
    return nothing;
  }

  /** Members changed in the Share dialog; an ownership transfer changes this user's role too. */
  private membersChanged = (e: CustomEvent<Member[]>) => {
    this.members = e.detail;
    const mine = e.detail.find((m) => m.userId === this.ctx.userId);
    if (mine && mine.role !== this.project?.role) this.ctx.projects.load();
  };

  private get items(): PlacedTask[] {
    return this.tasks.items;
  }

  taskChanged(task: Task): void {
    this.upsert(task as PlacedTask);
  }

  /** `keep`: made here by this user, so shown even when it sorts past the pages loaded. */
  private upsert(t: PlacedTask, keep = false): void {
    const belongs = t.projectId === this.projectId && !t.completed;
    this.tasks = upsertTask(this.tasks, t, belongs, keep);
  }

  taskRemoved(id: string): void {
    this.tasks = removeTasks(this.tasks, new Set([id]), true);
  }

  /** This project's copy of a task, for the editor when the server cannot be reached. */
  cachedTask(id: string): Task | undefined {
    return this.items.find((t) => t.id === id);
  }

  /** The first pages (again as many as were shown, when it is the same project), live changes meanwhile kept. */
  private async load() {
    const generation = ++this.generation;
    const id = this.projectId;
    const again = this.loaded && this.tasks.pages > 0 && this.loadedId === id;
    const pages = again ? Math.max(PAGES_PER_STEP, this.tasks.pages) : PAGES_PER_STEP;
    this.error = null;
    this.loaded = false;
    this.loadingMore = false;
    this.allShown = false;
    this.tasks = NO_TASKS;
    try {
      const fetched = await this.fetchPages(id, null, pages);
      if (generation !== this.generation) return;
      this.tasks = fetched.reduce(addPage, this.tasks);
      this.loaded = true;
      this.loadedId = id;
      this.members = await this.ctx.projectsApi.members(id).catch(() => []);
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof ProblemError && err.status === 404) this.ctx.projects.load();
      this.error = err;
    }
  }

  /** Up to `count` pages from `cursor` on, in order. */
  private fetchPages(id: string, cursor: string | null, count: number) {
    return collectPages((c) => this.ctx.projectsApi.tasks(id, c), { cursor, maxPages: count });
  }

  /** The next pages after those shown; focus stays on the button, or goes to the line saying all are shown. */
  private showMore = async () => {
    const cursor = this.tasks.cursor;
    if (this.loadingMore || !cursor) return;
    const generation = this.generation;
    this.loadingMore = true;
    try {
      const fetched = await this.fetchPages(this.projectId, cursor, PAGES_PER_STEP);
      if (generation !== this.generation) return;
      this.tasks = fetched.reduce(addPage, this.tasks);
    } catch (err) {
      if (generation === this.generation) notify(this, `Could not load more tasks: ${describeFailure(err)}`);
      return;
    } finally {
      if (generation === this.generation) this.loadingMore = false;
    }
    if (this.tasks.cursor) return;
    this.allShown = true;
    await this.updateComplete;
    this.moreStatus?.focus();
  };

  /** Quick add files into this project unless the line named another ("~errands"). */
  private async create(input: QuickAddInput) {
    const projectId = input.projectId ?? this.projectId;
    const body: QuickAddInput = { ...input, projectId };
    const task = await this.ctx.tasks.create(body);
    this.upsert(task as PlacedTask, true);
    this.ctx.projects.adjustCount(projectId, 1);
  }

  /** Completes with the main list's Undo, which reopens it and puts it back in its place here. */
  private async complete(task: PlacedTask) {
    const scope = {
      host: this,
      api: this.ctx.tasks,
      sink: { upsert: (t: Task) => this.upsert(t as PlacedTask, true) },
    };
    const done = await toggleComplete(scope, task, {
      retry: () => this.complete(task),
      after: () => {
        // Its open subtasks were completed with it; their events may come later than this answer.
        this.tasks = removeTasks(this.tasks, this.subtreeOf(task.id));
        this.ctx.projects.adjustCount(this.projectId, -1);
      },
    });
    if (!done) this.requestUpdate();
  }

  /** A drop within the list (a new place, or a new parent in the tree): sent as a move between its new neighbours. */
  private reorder = async ({ detail }: CustomEvent<Drop & { parentId?: string | null }>) => {
    const task = this.items.find((t) => t.id === detail.id);
    if (!task) return;
    try {
      const moved = await this.ctx.projectsApi.move(detail.id, {
        ...(detail.parentId !== undefined ? { parentId: detail.parentId } : {}),
        ...(detail.after ? { after: detail.after } : {}),
        ...(detail.before ? { before: detail.before } : {}),
      });
      this.taskChanged(moved);
      const undo = () => moveBack(this.ctx.projectsApi, placeOf(task));
      notifyUndo(this, this.movedText(task, detail.parentId), undo, `Moved “${task.title}” back`);
    } catch (err) {
      this.tasks = { ...this.tasks };
      notify(this, `Could not move “${task.title}”: ${describeFailure(err)}`);
    }
  };

  private addSubtask = async ({ detail }: CustomEvent<NewSubtask>) => {
    try {
      const input = { title: detail.title, parentId: detail.parentId, projectId: this.projectId };
      const task = await this.ctx.tasks.create(input as QuickAddInput);
      this.upsert(task as PlacedTask, true);
      this.ctx.projects.adjustCount(this.projectId, 1);
      notify(this, `Added subtask “${task.title}”`);
    } catch (err) {
      notify(this, `Could not add the subtask: ${describeFailure(err)}`);
    }
  };

  private toProject = async ({ detail }: CustomEvent<ProjectDrop>) => {
    const task = this.items.find((t) => t.id === detail.id);
    if (!task) return;
    this.tasks = removeTasks(this.tasks, this.subtreeOf(task.id));
    try {
      await this.ctx.projectsApi.move(task.id, { projectId: detail.projectId });
      this.ctx.projects.adjustCount(this.projectId, -1);
      this.ctx.projects.adjustCount(detail.projectId, 1);
      const name = this.ctx.projects.byId(detail.projectId)?.name ?? 'the project';
      const undo = () => moveBack(this.ctx.projectsApi, placeOf(task));
      notifyUndo(this, `Moved “${task.title}” to ${name}`, undo, `Moved “${task.title}” back`);
    } catch (err) {
      this.load();
      notify(this, `Could not move “${task.title}”: ${describeFailure(err)}`);
    }
  };

  private movedText(task: PlacedTask, parentId: string | null | undefined): string {
    if (parentId === undefined || parentId === (task.parentId ?? null)) return `Moved “${task.title}”`;
    if (parentId === null) return `Moved “${task.title}” to the top level`;
    return `Moved “${task.title}” under “${this.items.find((t) => t.id === parentId)?.title ?? 'another task'}”`;
  }

  /** A task and its loaded subtasks, which move with it. */
  private subtreeOf(id: string): Set<string> {
    const ids = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of this.items)
        if (t.parentId && ids.has(t.parentId) && !ids.has(t.id)) grew = !!ids.add(t.id);
    }
    return ids;
  }

  private toggleArchived = async () => {
    const p = this.project!;
    try {
      this.ctx.projects.upsert(await this.ctx.projectsApi.update(p.id, { archived: !p.archived }));
      notify(
        this,
        p.archived ? `Unarchived “${p.name}”` : `Archived “${p.name}”; it is hidden from the sidebar`,
      );
    } catch (err) {
      notify(this, describeFailure(err));
    }
  };

  private deleteProject = async () => {
    const p = this.project!;
    const ok = await this.confirm.ask(
      `Delete “${p.name}”?`,
      'Its tasks are deleted with it, for everyone it is shared with.',
      'Delete project',
    );
    if (!ok) return;
    try {
      await this.ctx.projectsApi.remove(p.id);
      this.ctx.projects.remove(p.id);
      notify(this, `Deleted “${p.name}”`);
      this.dispatchEvent(new NavigateEvent('/today', true));
    } catch (err) {
      notify(this, describeFailure(err));
    }
  };

  private afterLeaving = () => {
    const p = this.project;
    this.ctx.projects.remove(this.projectId);
    notify(this, `You left “${p?.name ?? 'the project'}”`);
    this.dispatchEvent(new NavigateEvent('/today', true));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'project-page': ProjectPage;
  }
}
