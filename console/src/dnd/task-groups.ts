import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PlacedTask } from '../projects/project-types.js';
import { rowStyles } from '../tasks/task-row.js';
import { formatDue, formatFull } from '../time/format.js';
import { followLink } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import { projectLinkAt } from './deep-hit.js';
import {
  type Drop,
  type DropGroup,
  type DropTarget,
  describePosition,
  dropAt,
  isNoop,
  startOf,
  step,
} from './drop-position.js';

/** A titled run of tasks: a day of Upcoming, a project's list. */
export interface TaskGroup {
  key: string;
  label: string;
  tasks: PlacedTask[];
  empty?: string;
}

/** Detail of `task-to-project`: a task dropped on a project in the sidebar. */
export interface ProjectDrop {
  id: string;
  projectId: string;
}

interface Grab {
  id: string;
  at: DropTarget | null;
  by: 'keyboard' | 'pointer';
}

const DRAG_THRESHOLD = 4;

/**
 * Tasks in titled groups, with drag and drop by pointer and by keyboard (Space picks up, arrows move,
 * Space drops, Escape cancels), each step announced in a live region. Emits `task-drop` (Drop),
 * `task-to-project` (ProjectDrop) and `complete` (the task).
 */
@customElement('task-groups')
export class TaskGroups extends LitElement {
  static override styles = [
    controls,
    rowStyles,
    css`
      :host {
        display: block;
      }
      section + section {
        margin-top: 18px;
      }
      h2 {
        font-size: 15px;
        margin: 0 0 6px;
        display: flex;
        gap: 8px;
        align-items: baseline;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        border: 1px solid var(--border);
        border-radius: var(--radius);
        overflow: hidden;
        background: var(--surface);
        min-height: 44px;
      }
      .row.lifted {
        opacity: 0.45;
      }
      .row.lifted.keyboard {
        opacity: 1;
        outline: 2px dashed var(--accent);
        outline-offset: -2px;
      }
      .indicator {
        height: 3px;
        background: var(--accent);
      }
      .empty {
        padding: 12px 14px;
        font-size: 13px;
      }
      .handle {
        flex: none;
        width: 32px;
        min-height: 32px;
        border: 0;
        border-radius: var(--radius-sm);
        background: transparent;
        color: var(--text-muted);
        cursor: grab;
        touch-action: none;
        font-size: 16px;
        line-height: 1;
      }
      .handle:hover {
        background: var(--surface-hover);
      }
      .chip.who {
        font-size: 12px;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        display: inline-block;
      }
    `,
  ];

  @property({ attribute: false }) groups: TaskGroup[] = [];
  @property() timeZone = 'UTC';
  /** The list's path: a title opens `<base>/tasks/<id>`. */
  @property() base = '/';
  @property({ type: Boolean }) sortable = false;
  /** User id → name, for "assigned to" on shared projects' tasks. */
  @property({ attribute: false }) people = new Map<string, string>();
  /** Project id → name and colour, for lists that mix projects (Today, Upcoming). */
  @property({ attribute: false }) projectNames = new Map<string, { name: string; color: string }>();
  @state() private grab: Grab | null = null;
  @state() private announcement = '';
  private press: { id: string; x: number; y: number; pointerId: number } | null = null;
  private hovered: HTMLElement | null = null;
  private refocus: string | null = null;

  override render() {
    const now = new Date();
    return html`<p id="dnd-help" class="visually-hidden">
        Press Space to pick the task up, the up and down arrow keys to move it, Space to drop it, Escape to cancel.
      </p>
      ${this.groups.map(
        (g, gi) => html`<section data-group=${gi} aria-labelledby="group-${gi}">
          <h2 id="group-${gi}">${g.label}<span class="muted" style="font-weight:400;font-size:13px">${g.tasks.length || ''}</span></h2>
          <ul>
            ${this.renderRows(g, gi, now)}
          </ul>
        </section>`,
      )}
      <div class="visually-hidden" role="status" aria-live="assertive" aria-atomic="true">${this.announcement}</div>`;
  }

  private renderRows(group: TaskGroup, gi: number, now: Date) {
    const at = this.grab?.at;
    const here = at?.group === gi ? at.index : -1;
    const indicator = html`<li class="indicator" aria-hidden="true"></li>`;
    let k = 0;
    const rows = repeat(
      group.tasks,
      (t) => t.id,
      (t) => {
        const dragged = t.id === this.grab?.id;
        const before = !dragged && k++ === here ? indicator : nothing;
        return html`${before}${this.renderRow(t, now, dragged)}`;
      },
    );
    const others = group.tasks.filter((t) => t.id !== this.grab?.id).length;
    const empty = group.tasks.length === 0 && here < 0;
    return html`${rows}${here === others ? indicator : nothing}${
      empty ? html`<li class="empty muted">${group.empty ?? 'Nothing here'}</li>` : nothing
    }`;
  }

  private renderRow(task: PlacedTask, now: Date, dragged: boolean) {
    const overdue = !task.completed && task.dueAt !== null && new Date(task.dueAt) < now;
    const project = task.projectId ? this.projectNames.get(task.projectId) : undefined;
    const assignee = task.assigneeId ? this.people.get(task.assigneeId) : undefined;
    return html`<li class="row ${dragged ? `lifted ${this.grab?.by}` : ''} ${task.completed ? 'done' : ''}" data-id=${task.id}>
      <input
        type="checkbox"
        class="complete"
        .checked=${task.completed}
        aria-label=${task.completed ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
        @change=${() => this.emit('complete', task)}
      />
      <div class="main">
        <a class="title" href="${this.base === '/' ? '' : this.base}/tasks/${encodeURIComponent(task.id)}" @click=${followLink}>${task.title}</a>
        <div class="meta">
          ${
            task.dueAt
              ? html`<span class="due ${overdue ? 'overdue' : ''}" title=${formatFull(task.dueAt, this.timeZone)}>${overdue ? 'Overdue · ' : ''}${formatDue(task.dueAt, now, this.timeZone)}</span>`
              : nothing
          }
          ${project ? html`<span><span class="dot" style="background:${project.color}" aria-hidden="true"></span>${project.name}</span>` : nothing}
          ${assignee ? html`<span class="chip who">Assigned to ${assignee}</span>` : nothing}
          ${task.tags.map((t) => html`<span class="chip tag">#${t}</span>`)}
        </div>
      </div>
      ${
        this.sortable
          ? html`<button
              class="handle"
              aria-label="Move “${task.title}”"
              aria-describedby="dnd-help"
              aria-pressed=${this.grab?.id === task.id && this.grab.by === 'keyboard'}
              @keydown=${(e: KeyboardEvent) => this.onHandleKey(e, task)}
              @pointerdown=${(e: PointerEvent) => this.onPointerDown(e, task)}
              @pointermove=${this.onPointerMove}
              @pointerup=${this.onPointerUp}
              @pointercancel=${this.cancelPointer}
              @blur=${() => this.grab?.by === 'keyboard' && this.cancel(task)}
            >⠿</button>`
          : nothing
      }
    </li>`;
  }

  /** After a drop re-rendered the groups, focus goes back to the moved task's handle, wherever it landed. */
  override updated(changed: PropertyValues<this>): void {
    if (!this.refocus || !changed.has('groups')) return;
    const id = this.refocus;
    this.refocus = null;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] .handle`)?.focus();
  }

  private get dropGroups(): DropGroup[] {
    return this.groups.map((g) => ({ key: g.key, label: g.label, ids: g.tasks.map((t) => t.id) }));
  }

  private onHandleKey(e: KeyboardEvent, task: PlacedTask) {
    const groups = this.dropGroups;
    const grab = this.grab?.by === 'keyboard' && this.grab.id === task.id ? this.grab : null;
    if (!grab) {
      if (e.key !== ' ' && e.key !== 'Enter') return;
      e.preventDefault();
      const at = startOf(groups, task.id);
      if (!at) return;
      this.grab = { id: task.id, at, by: 'keyboard' };
      this.say(
        `Picked up “${task.title}”. ${describePosition(groups, task.id, at)} Arrow keys move it, Space drops it, Escape cancels.`,
      );
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const at = step(groups, task.id, grab.at!, e.key === 'ArrowDown' ? 1 : -1);
      this.grab = { ...grab, at };
      this.say(describePosition(groups, task.id, at));
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      this.finish(dropAt(groups, task.id, grab.at!), task);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.cancel(task);
    }
  }

  private onPointerDown(e: PointerEvent, task: PlacedTask) {
    if (e.button !== 0) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    this.press = { id: task.id, x: e.clientX, y: e.clientY, pointerId: e.pointerId };
  }

  private onPointerMove = (e: PointerEvent) => {
    const press = this.press;
    if (!press || press.pointerId !== e.pointerId) return;
    if (!this.grab && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_THRESHOLD) return;
    const at = this.targetAt(e.clientX, e.clientY, press.id);
    this.grab = { id: press.id, at, by: 'pointer' };
    const project = at ? null : projectLinkAt(e.clientX, e.clientY);
    if (project !== this.hovered) {
      this.hovered?.classList.remove('drop-hover');
      project?.classList.add('drop-hover');
      this.hovered = project;
    }
  };

  private onPointerUp = (e: PointerEvent) => {
    const press = this.press;
    const grab = this.grab;
    this.cancelPointer();
    if (!press || !grab) return;
    const task = this.taskById(press.id);
    if (!task) return;
    if (grab.at) {
      this.finish(dropAt(this.dropGroups, press.id, grab.at), task);
      return;
    }
    const projectId = projectLinkAt(e.clientX, e.clientY)?.dataset.dropProject;
    if (projectId && projectId !== task.projectId) {
      this.say(`Moved “${task.title}” to another project.`);
      this.emit('task-to-project', { id: task.id, projectId } satisfies ProjectDrop);
    }
  };

  private cancelPointer = () => {
    this.press = null;
    this.hovered?.classList.remove('drop-hover');
    this.hovered = null;
    if (this.grab?.by === 'pointer') this.grab = null;
  };

  /** The group and index under a point, or null outside every group. */
  private targetAt(x: number, y: number, id: string): DropTarget | null {
    const section = (this.renderRoot as ShadowRoot)
      .elementFromPoint(x, y)
      ?.closest<HTMLElement>('[data-group]');
    if (!section) return null;
    const rows = [...section.querySelectorAll<HTMLElement>('li[data-id]')].filter((r) => r.dataset.id !== id);
    const index = rows.filter((r) => {
      const box = r.getBoundingClientRect();
      return box.top + box.height / 2 < y;
    }).length;
    return { group: Number(section.dataset.group), index };
  }

  private finish(drop: Drop, task: PlacedTask) {
    const groups = this.dropGroups;
    this.grab = null;
    if (isNoop(groups, drop)) {
      this.say(`Dropped “${task.title}” where it was.`);
      return;
    }
    const label = this.groups.find((g) => g.key === drop.groupKey)?.label ?? '';
    this.say(`Dropped “${task.title}” in ${label}.`);
    this.refocus = task.id;
    this.emit('task-drop', drop);
  }

  private cancel(task: PlacedTask) {
    this.grab = null;
    this.say(`Cancelled. “${task.title}” is back where it was.`);
  }

  private taskById(id: string): PlacedTask | undefined {
    for (const g of this.groups) for (const t of g.tasks) if (t.id === id) return t;
    return undefined;
  }

  private say(text: string) {
    this.announcement = text;
  }

  private emit(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}
