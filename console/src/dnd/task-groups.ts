import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PlacedTask } from '../projects/project-types.js';
import { rowStyles } from '../tasks/task-row.js';
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
import { type RowHandlers, renderGroupRow, renderNewSubtask } from './group-row.js';
import { groupStyles } from './task-groups-styles.js';
import {
  buildTree,
  defaultLevel,
  describeSlot,
  findNode,
  isSameSlot,
  levelRange,
  type Plan,
  planGap,
  planInto,
  slotAt,
  subtreeIds,
  type TreeNode,
  type TreeRow,
  visibleRows,
} from './task-tree.js';

/** A titled run of tasks: a day of Upcoming, a project's list. */
export interface TaskGroup {
  key: string;
  label: string;
  tasks: PlacedTask[];
  empty?: string;
  /** Only some of the group's tasks are loaded: the count reads "2000+". */
  more?: boolean;
}

/** Detail of `task-to-project`: a task dropped on a project in the sidebar. */
export interface ProjectDrop {
  id: string;
  projectId: string;
}

/** Detail of `add-subtask`: the title typed under a row. */
export interface NewSubtask {
  parentId: string;
  title: string;
}

interface Grab {
  id: string;
  at: DropTarget | null;
  by: 'keyboard' | 'pointer';
  /** In a tree, the level the task takes in the gap `at` (arrow right and left change it). */
  level?: number;
  /** In a tree, the row the pointer holds the task over the middle of: the task becomes its subtask. */
  into?: string;
}

interface Tree {
  roots: TreeNode<PlacedTask>[];
  rows: TreeRow<PlacedTask>[];
}

const DRAG_THRESHOLD = 4;
/** The middle band of a row, as a fraction of its height, where a drop makes the task its subtask. */
const INTO_BAND = [0.3, 0.7] as const;

/**
 * Tasks in titled groups, with drag and drop by pointer and by keyboard (Space picks up, arrows move,
 * Space drops, Escape cancels), each step announced in a live region. With `tree` (one group, a project's
 * list) subtasks show under their parents, indented, each parent with an expand/collapse toggle; a drop on
 * a row's middle makes the task its subtask, and in keyboard move mode the right and left arrows indent and
 * outdent. Emits `task-drop` (Drop, with `parentId` in a tree), `task-to-project` (ProjectDrop),
 * `add-subtask` (NewSubtask) and `complete` (the task).
 */
@customElement('task-groups')
export class TaskGroups extends LitElement {
  static override styles = [controls, rowStyles, groupStyles];

  @property({ attribute: false }) groups: TaskGroup[] = [];
  @property() timeZone = 'UTC';
  /** The list's path: a title opens `<base>/tasks/<id>`. */
  @property() base = '/';
  @property({ type: Boolean }) sortable = false;
  /** Show the first group's tasks as a tree of subtasks. */
  @property({ type: Boolean }) tree = false;
  /** User id → name, for "assigned to" on shared projects' tasks. */
  @property({ attribute: false }) people = new Map<string, string>();
  /** Project id → name and colour, for lists that mix projects (Today, Upcoming). */
  @property({ attribute: false }) projectNames = new Map<string, { name: string; color: string }>();
  @state() private grab: Grab | null = null;
  @state() private announcement = '';
  @state() private collapsed = new Set<string>();
  /** The parent whose new-subtask field is open. */
  @state() private adding: string | null = null;
  private press: { id: string; x: number; y: number; pointerId: number } | null = null;
  private hovered: HTMLElement | null = null;
  private refocus: string | null = null;
  private shape: Tree = { roots: [], rows: [] };

  override willUpdate(changed: PropertyValues): void {
    if (this.tree && (changed.has('groups') || changed.has('collapsed') || changed.has('tree'))) {
      const roots = buildTree(this.groups[0]?.tasks ?? []);
      this.shape = { roots, rows: visibleRows(roots, this.collapsed) };
    }
  }

  override render() {
    const now = new Date();
    return html`<p id="dnd-help" class="visually-hidden">
        Press Space to pick the task up, the up and down arrow keys to move it${
          this.tree
            ? ', the right arrow to make it a subtask of the task above and the left arrow to move it out'
            : ''
        }, Space to drop it, Escape to cancel.
      </p>
      ${this.groups.map(
        (g, gi) => html`<section data-group=${gi} aria-labelledby="group-${gi}">
          <h2 id="group-${gi}">${g.label}<span class="muted" style="font-weight:400;font-size:13px">${g.tasks.length ? `${g.tasks.length}${g.more ? '+' : ''}` : ''}</span></h2>
          <ul>
            ${this.tree && gi === 0 ? this.renderTree(g, now) : this.renderRows(g, gi, now)}
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

  /** The rows of a tree; the dragged task's subtree moves with it, so its rows are no gaps to drop into. */
  private renderTree(group: TaskGroup, now: Date) {
    const grab = this.grab;
    const lifted = this.liftedIds();
    const here = grab?.at && !grab.into ? grab.at.index : -1;
    const indicator = html`<li class="indicator" aria-hidden="true" style="margin-left:${((grab?.level ?? 1) - 1) * 28 + 8}px"></li>`;
    let k = 0;
    const rows = repeat(
      this.shape.rows,
      (r) => r.node.task.id,
      (r) => {
        const id = r.node.task.id;
        const before = !lifted.has(id) && k++ === here ? indicator : nothing;
        return html`${before}${this.renderRow(r.node.task, now, lifted.has(id), r)}${
          this.adding === id ? renderNewSubtask(r.node, this.onNewSubtaskKey) : nothing
        }`;
      },
    );
    const others = this.shape.rows.filter((r) => !lifted.has(r.node.task.id)).length;
    const empty = group.tasks.length === 0 && here < 0;
    return html`${rows}${here === others ? indicator : nothing}${
      empty ? html`<li class="empty muted">${group.empty ?? 'Nothing here'}</li>` : nothing
    }`;
  }

  private renderRow(task: PlacedTask, now: Date, dragged: boolean, row?: TreeRow<PlacedTask>) {
    const grab = this.grab;
    return renderGroupRow(
      task,
      {
        now,
        timeZone: this.timeZone,
        base: this.base,
        sortable: this.sortable,
        lifted: dragged ? (grab?.by ?? null) : null,
        held: grab?.id === task.id && grab.by === 'keyboard',
        dropInto: grab?.into === task.id,
        project: task.projectId ? this.projectNames.get(task.projectId) : undefined,
        assignee: task.assigneeId ? this.people.get(task.assigneeId) : undefined,
        row,
      },
      this.rowHandlers,
    );
  }

  private readonly rowHandlers: RowHandlers = {
    complete: (task) => this.emit('complete', task),
    toggle: (id) => this.toggle(id),
    addSubtask: (id) => this.startAdding(id),
    handleKey: (e, task) => this.onHandleKey(e, task),
    pointerDown: (e, task) => this.onPointerDown(e, task),
    pointerMove: (e) => this.onPointerMove(e),
    pointerUp: (e) => this.onPointerUp(e),
    pointerCancel: () => this.cancelPointer(),
    blur: (task) => this.grab?.by === 'keyboard' && this.cancel(task),
  };

  /** After a drop re-rendered the groups, focus goes back to the moved task's handle, wherever it landed. */
  override updated(changed: PropertyValues): void {
    if (changed.has('adding') && this.adding)
      this.renderRoot.querySelector<HTMLInputElement>('.new-subtask input')?.focus();
    if (!this.refocus || !changed.has('groups')) return;
    const id = this.refocus;
    this.refocus = null;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] .handle`)?.focus();
  }

  /** The groups as drop targets; in a tree, the rows shown without the dragged task's subtasks. */
  private get dropGroups(): DropGroup[] {
    if (!this.tree)
      return this.groups.map((g) => ({ key: g.key, label: g.label, ids: g.tasks.map((t) => t.id) }));
    const lifted = this.liftedIds();
    const id = this.grab?.id ?? this.press?.id;
    const ids = this.shape.rows.map((r) => r.node.task.id).filter((x) => x === id || !lifted.has(x));
    const g = this.groups[0];
    return g ? [{ key: g.key, label: g.label, ids }] : [];
  }

  /** The dragged task and its subtasks, which move with it. */
  private liftedIds(): Set<string> {
    const id = this.grab?.id ?? this.press?.id;
    const node = id && this.tree ? findNode(this.shape.roots, id) : undefined;
    return node ? subtreeIds(node) : new Set();
  }

  /** The rows a tree drop lands among: everything shown but the dragged subtree. */
  private others(): TreeRow<PlacedTask>[] {
    const lifted = this.liftedIds();
    return this.shape.rows.filter((r) => !lifted.has(r.node.task.id));
  }

  private onHandleKey(e: KeyboardEvent, task: PlacedTask) {
    const grab = this.grab?.by === 'keyboard' && this.grab.id === task.id ? this.grab : null;
    if (!grab) {
      if (e.key !== ' ' && e.key !== 'Enter') return;
      e.preventDefault();
      this.grab = { id: task.id, at: null, by: 'keyboard' };
      const groups = this.dropGroups;
      const at = startOf(groups, task.id);
      if (!at) {
        this.grab = null;
        return;
      }
      const level = this.tree ? findNode(this.shape.roots, task.id)?.level : undefined;
      this.grab = { id: task.id, at, by: 'keyboard', ...(level ? { level } : {}) };
      this.say(
        `Picked up “${task.title}”. ${this.describe(at, level)} Arrow keys move it, Space drops it, Escape cancels.`,
      );
      return;
    }
    const groups = this.dropGroups;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const at = step(groups, task.id, grab.at!, e.key === 'ArrowDown' ? 1 : -1);
      const level = this.tree ? defaultLevel(this.others(), at.index) : undefined;
      this.grab = { ...grab, at, ...(level ? { level } : {}) };
      this.say(this.describe(at, level));
    } else if (this.tree && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      this.changeLevel(grab, task, e.key === 'ArrowRight' ? 1 : -1);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (this.tree) this.finishTree(this.planKeyboard(grab), task);
      else this.finish(dropAt(groups, task.id, grab.at!), task);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.cancel(task);
    }
  }

  /** Indent (under the task above) or outdent (out of its parent) in keyboard move mode, refusing what cannot be. */
  private changeLevel(grab: Grab, task: PlacedTask, delta: 1 | -1) {
    const others = this.others();
    const { min, max } = levelRange(others, grab.at!.index);
    const level = (grab.level ?? 1) + delta;
    if (level > max) {
      this.say(
        `“${task.title}” cannot go deeper here: it can only become a subtask of the task right above it.`,
      );
      return;
    }
    if (level < min) {
      this.say(
        level < 1
          ? `“${task.title}” is already at the top level.`
          : `“${task.title}” cannot move out here: the task below it is a subtask at level ${min}.`,
      );
      return;
    }
    const node = findNode(this.shape.roots, task.id)!;
    const plan = planGap(node, others, grab.at!.index, level);
    if (!plan.ok) {
      this.say(plan.reason);
      return;
    }
    this.grab = { ...grab, level };
    this.say(this.describe(grab.at!, level));
  }

  private planKeyboard(grab: Grab): Plan {
    const node = findNode(this.shape.roots, grab.id)!;
    return planGap(node, this.others(), grab.at!.index, grab.level ?? 1);
  }

  /** "Position 2 of 5 in Tasks.", and in a tree where that is: "Level 2, subtask of “Plan trip”, after …". */
  private describe(at: DropTarget, level?: number): string {
    const position = describePosition(this.dropGroups, this.grab!.id, at);
    if (!this.tree || level === undefined) return position;
    const others = this.others();
    const where = describeSlot(slotAt(others, at.index, level), (id) => this.titleOf(id));
    const node = findNode(this.shape.roots, this.grab!.id);
    const plan = node ? planGap(node, others, at.index, level) : null;
    // Said as it is reached, not only when Space is pressed there.
    return plan && !plan.ok ? `${position} ${where} ${plan.reason}` : `${position} ${where}`;
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
    this.grab = { id: press.id, by: 'pointer', ...this.targetAt(e.clientX, e.clientY, press.id) };
    const project = this.grab.at ? null : projectLinkAt(e.clientX, e.clientY);
    if (project !== this.hovered) {
      this.hovered?.classList.remove('drop-hover');
      project?.classList.add('drop-hover');
      this.hovered = project;
    }
  };

  private onPointerUp = (e: PointerEvent) => {
    const press = this.press;
    const grab = this.grab;
    const plan = grab && this.tree ? this.planPointer(grab) : null;
    this.cancelPointer();
    if (!press || !grab) return;
    const task = this.taskById(press.id);
    if (!task) return;
    if (plan) {
      this.finishTree(plan, task);
      return;
    }
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

  private planPointer(grab: Grab): Plan | null {
    const node = findNode(this.shape.roots, grab.id);
    if (!node) return null;
    if (grab.into) {
      const target = findNode(this.shape.roots, grab.into);
      return target ? planInto(node, target) : null;
    }
    return grab.at ? planGap(node, this.others(), grab.at.index, grab.level ?? 1) : null;
  }

  private cancelPointer = () => {
    this.press = null;
    this.hovered?.classList.remove('drop-hover');
    this.hovered = null;
    if (this.grab?.by === 'pointer') this.grab = null;
  };

  /** The group and index under a point, or null outside every group; in a tree, the row whose middle it is over. */
  private targetAt(x: number, y: number, id: string): Pick<Grab, 'at' | 'level' | 'into'> {
    const hit = (this.renderRoot as ShadowRoot).elementFromPoint(x, y);
    const section = hit?.closest<HTMLElement>('[data-group]');
    if (!section) return { at: null };
    const group = Number(section.dataset.group);
    const lifted = this.liftedIds();
    const row = hit?.closest<HTMLElement>('li[data-id]');
    if (this.tree && row && row.dataset.id !== id) {
      const box = row.getBoundingClientRect();
      const f = (y - box.top) / box.height;
      if (f > INTO_BAND[0] && f < INTO_BAND[1]) return { at: { group, index: -1 }, into: row.dataset.id! };
    }
    const rows = [...section.querySelectorAll<HTMLElement>('li[data-id]')].filter(
      (r) => r.dataset.id !== id && !lifted.has(r.dataset.id!),
    );
    const index = rows.filter((r) => {
      const box = r.getBoundingClientRect();
      return box.top + box.height / 2 < y;
    }).length;
    const at = { group, index };
    return this.tree ? { at, level: defaultLevel(this.others(), index) } : { at };
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

  /** A tree drop: refused with the reason (nothing sent), or sent with the new parent and neighbours. */
  private finishTree(plan: Plan, task: PlacedTask) {
    if (!plan.ok) {
      this.say(plan.reason);
      this.dispatchEvent(
        new CustomEvent('notify', { detail: { text: plan.reason }, bubbles: true, composed: true }),
      );
      return;
    }
    this.grab = null;
    const { slot } = plan;
    if (isSameSlot(this.shape.roots, task.id, slot)) {
      this.say(`Dropped “${task.title}” where it was.`);
      return;
    }
    this.say(`Dropped “${task.title}”. ${describeSlot(slot, (id) => this.titleOf(id))}`);
    this.refocus = task.id;
    if (slot.parentId) this.expand(slot.parentId);
    const drop: Drop = { id: task.id, groupKey: this.groups[0]!.key, after: slot.after, before: slot.before };
    this.emit('task-drop', { ...drop, parentId: slot.parentId });
  }

  private cancel(task: PlacedTask) {
    this.grab = null;
    this.say(`Cancelled. “${task.title}” is back where it was.`);
  }

  private toggle(id: string) {
    const next = new Set(this.collapsed);
    if (!next.delete(id)) next.add(id);
    this.collapsed = next;
  }

  private expand(id: string) {
    if (!this.collapsed.has(id)) return;
    const next = new Set(this.collapsed);
    next.delete(id);
    this.collapsed = next;
  }

  private startAdding(parentId: string) {
    this.expand(parentId);
    this.adding = parentId;
  }

  private onNewSubtaskKey = (e: KeyboardEvent, parent: PlacedTask) => {
    const input = e.currentTarget as HTMLInputElement;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.adding = null;
      this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(parent.id)}"] .add-sub`)?.focus(),
      );
    } else if (e.key === 'Enter' && input.value.trim()) {
      e.preventDefault();
      this.emit('add-subtask', { parentId: parent.id, title: input.value.trim() } satisfies NewSubtask);
      input.value = '';
    }
  };

  private taskById(id: string): PlacedTask | undefined {
    for (const g of this.groups) for (const t of g.tasks) if (t.id === id) return t;
    return undefined;
  }

  private titleOf(id: string): string {
    return this.taskById(id)?.title ?? 'a task';
  }

  private say(text: string) {
    this.announcement = text;
  }

  private emit(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}
