import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { Task } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { controls } from '../ui/shared-styles.js';
import { FIRST_ROWS_MARK } from './performance-marks.js';
import { renderTaskRow, rowStyles } from './task-row.js';

// Imported statically: the default layout would be fetched as a second round trip before the first rows paint.
const LAYOUT = flow();

export type RowAction = 'complete' | 'select' | 'open';

/** Detail of `row-action`: what the user did to which task. */
export interface RowActionDetail {
  action: RowAction;
  task: Task;
  index: number;
}

/**
 * The virtualised task list: only rows near the viewport exist in the DOM, so 10,000 tasks scroll
 * like 50. Emits `row-action` and `near-end` (time to fetch the next page).
 */
@customElement('task-list')
export class TaskList extends LitElement {
  static override styles = [
    controls,
    rowStyles,
    css`
      :host {
        display: block;
      }
      lit-virtualizer {
        display: block;
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) items: Task[] = [];
  @property({ attribute: false }) selected = new Set<string>();
  @property({ attribute: false }) pending = new Set<string>();
  @property({ type: Boolean }) selecting = false;
  @property({ type: Number }) focusedIndex = -1;
  @property() timeZone = 'UTC';
  @query('lit-virtualizer') private virtualizer!: LitVirtualizer<Task>;
  private painted = false;

  override render() {
    const now = new Date();
    return html`<lit-virtualizer
      role="list"
      aria-label="Tasks"
      .items=${this.items}
      .layout=${LAYOUT}
      .keyFunction=${(t: Task) => t.id}
      .renderItem=${(task: Task, index: number) =>
        renderTaskRow(task, index, {
          now,
          timeZone: this.timeZone,
          selecting: this.selecting,
          selected: this.selected.has(task.id),
          focused: index === this.focusedIndex,
          pending: this.pending.has(task.id),
        })}
      @click=${this.onClick}
      @rangeChanged=${this.onRange}
    ></lit-virtualizer>`;
  }

  override updated(): void {
    if (this.painted || this.items.length === 0) return;
    this.painted = true;
    requestAnimationFrame(this.markFirstRows);
  }

  /** A User Timing mark for the first rows on screen; the console bench reads it in headless Chromium. */
  private markFirstRows = () => {
    if (this.renderRoot.querySelector('[role="listitem"]')) performance.mark(FIRST_ROWS_MARK);
    else requestAnimationFrame(this.markFirstRows);
  };

  /** Scrolls a row into view and gives it keyboard focus (the j/k shortcuts, closing the editor). */
  async focusRow(index: number): Promise<void> {
    if (index < 0 || index >= this.items.length) return;
    await this.updateComplete;
    const find = () => this.renderRoot.querySelector<HTMLElement>(`[data-index="${index}"]`);
    let row = find();
    if (row) row.scrollIntoView({ block: 'nearest' });
    else this.virtualizer.element(index)?.scrollIntoView({ block: 'nearest' });
    // A row scrolled to from far away exists only once the virtualizer has laid it out. Its layoutComplete
    // promise would never settle when nothing needs laying out, so this waits a few frames instead.
    for (let frame = 0; !row && frame < 10; frame++) {
      await new Promise(requestAnimationFrame);
      row = find();
    }
    row?.focus({ preventScroll: true });
  }

  private onClick(e: MouseEvent) {
    const target = e.target as HTMLElement;
    const actionEl = target.closest<HTMLElement>('[data-action]');
    const row = target.closest<HTMLElement>('[data-index]');
    if (!actionEl || !row) return;
    const action = actionEl.dataset.action as RowAction;
    const index = Number(row.dataset.index);
    const task = this.items[index];
    if (!task) return;
    if (action === 'open') {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
    }
    this.dispatchEvent(new CustomEvent<RowActionDetail>('row-action', { detail: { action, task, index } }));
  }

  private onRange(e: Event & { last?: number }) {
    if ((e.last ?? 0) >= this.items.length - 20) this.dispatchEvent(new Event('near-end'));
  }
}
