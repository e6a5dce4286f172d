import type { Task } from '@todo/contract';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, ProblemError } from '../api/errors.js';
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
import { moveBack, placeOf } from './move-undo.js';
import './project-dialog.js';
import { colorOf, type Member, memberName, type PlacedTask, type Project } from './project-types.js';
import './share-dialog.js';

/** Pages of a project's tasks fetched at most (200 each). */
const MAX_PAGES = 10;

/**
 * One project: its open tasks in manual order, subtasks nested under their parents (drag to reorder, into or
 * out of a parent, or onto another project in the sidebar), quick add into it, and the owner's Share, Edit,
 * Archive and Delete. Subtasks come in the same pages as their parents, so counts and expanding need no request.
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
    `,
  ];

  @property({ attribute: false }) ctx!: ViewContext;
  @property() projectId = '';
  @state() private items: PlacedTask[] = [];
  @state() private members: Member[] = [];
  @state() private loaded = false;
  @state() private error: unknown = null;
  @state() private dialog: 'share' | 'edit' | null = null;
  @query('confirm-dialog') private confirm!: ConfirmDialog;
  private generation = 0;

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
              .groups=${[{ key: p.id, label: 'Tasks', tasks: this.items, empty: 'No open tasks in this project.' }]}
              .people=${people}
              .timeZone=${this.ctx.timeZone}
              base="/projects/${encodeURIComponent(p.id)}"
              @complete=${(e: CustomEvent<PlacedTask>) => this.complete(e.detail)}
              @task-drop=${this.reorder}
              @add-subtask=${this.addSubtask}
              @task-to-project=${this.toProject}
            ></task-groups>`
          : html`<p class="muted" role="status">Loading…</p>`
      }
      ${this.renderDialog(p)}
      <confirm-dialog></confirm-dialog>`;
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

  taskChanged(task: Task): void {
    const t = task as PlacedTask;
    const belongs = t.projectId === this.projectId && !t.completed;
    const current = this.items.find((x) => x.id === t.id);
    if (current && current.version > t.version) return;
    const rest = this.items.filter((x) => x.id !== t.id);
    this.items = belongs ? [...rest, t].sort(byOrder) : rest;
  }

  taskRemoved(id: string): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** This project's copy of a task, for the editor when the server cannot be reached. */
  cachedTask(id: string): Task | undefined {
    return this.items.find((t) => t.id === id);
  }

  private async load() {
    const generation = ++this.generation;
    const id = this.projectId;
    this.error = null;
    this.loaded = false;
    try {
      const items: PlacedTask[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await this.ctx.projectsApi.tasks(id, cursor);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && ++pages < MAX_PAGES);
      if (generation !== this.generation) return;
      this.items = items;
      this.loaded = true;
      this.members = await this.ctx.projectsApi.members(id).catch(() => []);
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof ProblemError && err.status === 404) this.ctx.projects.load();
      this.error = err;
    }
  }

  /** Quick add files into this project unless the line named another ("~errands"). */
  private async create(input: QuickAddInput) {
    const projectId = input.projectId ?? this.projectId;
    const body: QuickAddInput = { ...input, projectId };
    const task = await this.ctx.tasks.create(body);
    this.taskChanged(task);
    this.ctx.projects.adjustCount(projectId, 1);
  }

  /** Completes with the main list's Undo, which reopens it and puts it back in its place here. */
  private async complete(task: PlacedTask) {
    const scope = { host: this, api: this.ctx.tasks, sink: { upsert: (t: Task) => this.taskChanged(t) } };
    const done = await toggleComplete(scope, task, {
      retry: () => this.complete(task),
      after: () => {
        // Its open subtasks were completed with it; their events may come later than this answer.
        const subtree = this.subtreeOf(task.id);
        this.items = this.items.filter((t) => !subtree.has(t.id));
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
      this.items = [...this.items];
      notify(this, `Could not move “${task.title}”: ${describeFailure(err)}`);
    }
  };

  private addSubtask = async ({ detail }: CustomEvent<NewSubtask>) => {
    try {
      const input = { title: detail.title, parentId: detail.parentId, projectId: this.projectId };
      const task = await this.ctx.tasks.create(input as QuickAddInput);
      this.taskChanged(task);
      this.ctx.projects.adjustCount(this.projectId, 1);
      notify(this, `Added subtask “${task.title}”`);
    } catch (err) {
      notify(this, `Could not add the subtask: ${describeFailure(err)}`);
    }
  };

  private toProject = async ({ detail }: CustomEvent<ProjectDrop>) => {
    const task = this.items.find((t) => t.id === detail.id);
    if (!task) return;
    const subtree = this.subtreeOf(task.id);
    this.items = this.items.filter((t) => !subtree.has(t.id));
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

function byOrder(a: PlacedTask, b: PlacedTask): number {
  const x = a.order ?? '';
  const y = b.order ?? '';
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
}

declare global {
  interface HTMLElementTagNameMap {
    'project-page': ProjectPage;
  }
}
