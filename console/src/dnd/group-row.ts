import { html, nothing } from 'lit';
import type { PlacedTask } from '../projects/project-types.js';
import { formatDue, formatFull } from '../time/format.js';
import { icons } from '../ui/icons.js';
import { followLink } from '../ui/navigate.js';
import { MAX_LEVELS, type TreeNode, type TreeRow } from './task-tree.js';

/** How a row of task-groups is shown. */
export interface RowState {
  now: Date;
  timeZone: string;
  /** The list's path: a title opens `<base>/tasks/<id>`. */
  base: string;
  sortable: boolean;
  /** Being dragged, and by what; null when not. */
  lifted: 'keyboard' | 'pointer' | null;
  /** Picked up by keyboard (its handle is pressed). */
  held: boolean;
  /** The pointer holds a task over this row's middle: dropping makes it a subtask here. */
  dropInto: boolean;
  project: { name: string; color: string } | undefined;
  assignee: string | undefined;
  /** In a tree: its level, subtasks and whether they show. */
  row: TreeRow<PlacedTask> | undefined;
}

/** What a row's controls do. */
export interface RowHandlers {
  complete(task: PlacedTask): void;
  toggle(id: string): void;
  addSubtask(id: string): void;
  handleKey(e: KeyboardEvent, task: PlacedTask): void;
  pointerDown(e: PointerEvent, task: PlacedTask): void;
  pointerMove(e: PointerEvent): void;
  pointerUp(e: PointerEvent): void;
  pointerCancel(): void;
  blur(task: PlacedTask): void;
}

/** One task of task-groups: complete, title and details, and in a tree its toggle, subtask count and "+". */
export function renderGroupRow(task: PlacedTask, s: RowState, on: RowHandlers) {
  const overdue = !task.completed && task.dueAt !== null && new Date(task.dueAt) < s.now;
  const row = s.row;
  const subtasks = row?.node.children.length ?? 0;
  return html`<li
    class="row ${s.lifted ? `lifted ${s.lifted}` : ''} ${task.completed ? 'done' : ''} ${s.dropInto ? 'drop-into' : ''}"
    data-id=${task.id}
    aria-level=${row ? row.node.level : nothing}
    style=${row ? `--level:${row.node.level}` : nothing}
  >
    ${row ? renderToggle(row, on) : nothing}
    <input
      type="checkbox"
      class="complete"
      .checked=${task.completed}
      aria-label=${task.completed ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
      @change=${() => on.complete(task)}
    />
    <div class="main">
      <a class="title" href="${s.base === '/' ? '' : s.base}/tasks/${encodeURIComponent(task.id)}" @click=${followLink}>${task.title}</a>
      <div class="meta">
        ${
          task.dueAt
            ? html`<span class="due ${overdue ? 'overdue' : ''}" title=${formatFull(task.dueAt, s.timeZone)}>${overdue ? 'Overdue · ' : ''}${formatDue(task.dueAt, s.now, s.timeZone)}</span>`
            : nothing
        }
        ${subtasks ? html`<span class="subtasks">${subtasks} open subtask${subtasks === 1 ? '' : 's'}</span>` : nothing}
        ${s.project ? html`<span><span class="dot" style="background:${s.project.color}" aria-hidden="true"></span>${s.project.name}</span>` : nothing}
        ${s.assignee ? html`<span class="chip who">Assigned to ${s.assignee}</span>` : nothing}
        ${task.tags.map((t) => html`<span class="chip tag">#${t}</span>`)}
      </div>
    </div>
    ${
      row && s.sortable && row.node.level < MAX_LEVELS
        ? html`<button class="add-sub" aria-label="Add a subtask to “${task.title}”" @click=${() => on.addSubtask(task.id)}>${icons.plus}</button>`
        : nothing
    }
    ${
      s.sortable
        ? html`<button
            class="handle"
            aria-label="Move “${task.title}”"
            aria-describedby="dnd-help"
            aria-pressed=${s.held}
            @keydown=${(e: KeyboardEvent) => on.handleKey(e, task)}
            @pointerdown=${(e: PointerEvent) => on.pointerDown(e, task)}
            @pointermove=${on.pointerMove}
            @pointerup=${on.pointerUp}
            @pointercancel=${on.pointerCancel}
            @blur=${() => on.blur(task)}
          >⠿</button>`
        : nothing
    }
  </li>`;
}

function renderToggle({ node, expanded }: TreeRow<PlacedTask>, on: RowHandlers) {
  if (!node.children.length) return html`<span class="toggle-space" aria-hidden="true"></span>`;
  return html`<button
    class="toggle"
    aria-expanded=${expanded}
    aria-label="Subtasks of “${node.task.title}”"
    @click=${() => on.toggle(node.task.id)}
  ><span class="chevron" aria-hidden="true">›</span></button>`;
}

/** The field under a parent where a subtask's title is typed (Enter adds, Escape closes). */
export function renderNewSubtask(
  parent: TreeNode<PlacedTask>,
  onKey: (e: KeyboardEvent, parent: PlacedTask) => void,
) {
  return html`<li class="new-subtask" style="--level:${parent.level}">
    <input
      class="input"
      aria-label="New subtask of “${parent.task.title}”"
      placeholder="Subtask title, then Enter"
      maxlength="500"
      @keydown=${(e: KeyboardEvent) => onKey(e, parent.task)}
    />
  </li>`;
}
