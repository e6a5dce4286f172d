import type { Task } from '@todo/contract';
import { css, html } from 'lit';
import { describeRecurrence } from '../recurrence/recurrence-summary.js';
import { formatDue, formatFull } from '../time/format.js';
import { icons } from '../ui/icons.js';

export interface RowContext {
  now: Date;
  timeZone: string;
  selecting: boolean;
  selected: boolean;
  focused: boolean;
  pending: boolean;
}

const PRIORITY_LABEL = { none: '', low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' } as const;

/** One task in the list: complete checkbox, title, due date, recurrence in words, reminders, tags, priority. */
export function renderTaskRow(task: Task, index: number, ctx: RowContext) {
  const overdue = !task.completed && task.dueAt !== null && new Date(task.dueAt) < ctx.now;
  const done = task.completed || ctx.pending;
  const reminders = task.reminders.length;
  return html`<div
    role="listitem"
    class="row ${ctx.focused ? 'focused' : ''} ${done ? 'done' : ''}"
    data-index=${index}
    data-id=${task.id}
    tabindex=${ctx.focused ? 0 : -1}
  >
    ${
      ctx.selecting
        ? html`<input type="checkbox" class="select" data-action="select" .checked=${ctx.selected} aria-label="Select “${task.title}”" />`
        : null
    }
    <input
      type="checkbox"
      class="complete"
      data-action="complete"
      .checked=${done}
      aria-label=${task.completed ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
    />
    <div class="main">
      <a class="title" href="/tasks/${encodeURIComponent(task.id)}" data-action="open">${task.title}</a>
      <div class="meta">
        ${
          task.dueAt
            ? html`<span class="due ${overdue ? 'overdue' : ''}" title=${formatFull(task.dueAt, ctx.timeZone)}
              >${icons.clock}${overdue ? 'Overdue · ' : ''}${formatDue(task.dueAt, ctx.now, ctx.timeZone)}</span
            >`
            : null
        }
        ${
          task.recurrence
            ? html`<span class="repeat">${icons.repeat}${describeRecurrence(task.recurrence)}</span>`
            : null
        }
        ${
          reminders
            ? html`<span class="reminder" role="img" aria-label="${reminders} reminder${reminders > 1 ? 's' : ''}" title="Reminders set"
              >${icons.alarm}${reminders > 1 ? reminders : ''}</span
            >`
            : null
        }
        ${task.tags.map((t) => html`<span class="chip tag">#${t}</span>`)}
      </div>
    </div>
    ${
      task.priority !== 'none'
        ? html`<span class="priority p-${task.priority}">${PRIORITY_LABEL[task.priority]}</span>`
        : null
    }
  </div>`;
}

export const rowStyles = css`
  .row {
    display: flex;
    align-items: flex-start;
    gap: 10px;
    width: 100%;
    padding: var(--row-pad-y, 10px) 14px;
    background: var(--surface);
    border-bottom: 1px solid var(--border);
  }
  .row:hover {
    background: var(--surface-hover);
  }
  .row.focused {
    box-shadow: inset 3px 0 0 var(--accent);
    background: var(--surface-hover);
  }
  .row:focus-visible {
    outline: 2px solid var(--focus);
    outline-offset: -2px;
  }
  .row input[type='checkbox'] {
    width: 20px;
    height: 20px;
    margin: 1px 0 0;
    flex: none;
    accent-color: var(--accent);
    cursor: pointer;
  }
  .row .complete {
    border-radius: 50%;
  }
  .main {
    flex: 1;
    min-width: 0;
  }
  .title {
    color: var(--text);
    text-decoration: none;
    font-weight: 500;
    overflow-wrap: anywhere;
  }
  .title:hover {
    text-decoration: underline;
  }
  .done .title {
    color: var(--text-muted);
    text-decoration: line-through;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    margin-top: var(--row-gap, 3px);
    font-size: var(--row-meta-size, 13px);
    color: var(--text-muted);
  }
  .meta > span {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-width: 0;
  }
  .meta svg.icon {
    width: 14px;
    height: 14px;
  }
  .due.overdue {
    color: var(--danger);
    font-weight: 600;
  }
  .chip.tag {
    color: var(--text-muted);
  }
  .priority {
    flex: none;
    font-size: 12px;
    font-weight: 600;
    padding: 1px 8px;
    border-radius: 999px;
    border: 1px solid currentColor;
  }
  .p-urgent {
    color: var(--p-urgent);
  }
  .p-high {
    color: var(--p-high);
  }
  .p-medium {
    color: var(--p-medium);
  }
  .p-low {
    color: var(--p-low);
  }
`;
