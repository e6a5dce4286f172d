import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PlacedTask } from '../projects/project-types.js';
import '../ui/error-banner.js';
import { followLink } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import { DatedView } from './dated-view.js';
import { addToDate, dateIn, dayBounds, monthGrid, shiftMonth } from './day-range.js';

/** Tasks listed in a day's cell before "+N more". */
const PER_CELL = 3;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * A month of tasks on their due days: an ARIA grid. Arrow keys move a day or a week, Home and End to the
 * week's ends, Page Up and Page Down by a month; Tab enters the focused day's tasks.
 */
@customElement('calendar-page')
export class CalendarPage extends DatedView {
  static override styles = [
    ...DatedView.styles,
    controls,
    css`
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-bottom: 10px;
      }
      .bar h2 {
        font-size: 17px;
        margin: 0 auto 0 0;
      }
      [role='grid'] {
        display: grid;
        border: 1px solid var(--border);
        border-radius: var(--radius);
        overflow: hidden;
        background: var(--surface);
      }
      [role='row'] {
        display: grid;
        grid-template-columns: repeat(7, minmax(0, 1fr));
      }
      [role='columnheader'] {
        padding: 6px;
        font-size: 12px;
        font-weight: 600;
        color: var(--text-muted);
        text-align: center;
        border-bottom: 1px solid var(--border);
      }
      [role='gridcell'] {
        min-height: 92px;
        padding: 4px;
        border-right: 1px solid var(--border);
        border-bottom: 1px solid var(--border);
        min-width: 0;
      }
      [role='gridcell'].outside {
        background: var(--surface-2);
      }
      [role='gridcell'].outside .num {
        color: var(--text-muted);
      }
      [role='gridcell'].today .num {
        background: var(--accent);
        color: var(--on-accent);
        border-radius: 999px;
      }
      .num {
        display: inline-block;
        min-width: 22px;
        padding: 0 4px;
        font-size: 12px;
        font-weight: 600;
        text-align: center;
      }
      .cell-task {
        display: block;
        margin-top: 2px;
        padding: 1px 4px;
        font-size: 12px;
        border-radius: 4px;
        background: var(--surface-2);
        color: var(--text);
        text-decoration: none;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .cell-task.done {
        text-decoration: line-through;
        color: var(--text-muted);
      }
      .more {
        font-size: 12px;
        margin: 2px 4px 0;
      }
      @media (max-width: 720px) {
        [role='gridcell'] {
          min-height: 56px;
          padding: 2px;
        }
        .cell-task {
          font-size: 11px;
        }
      }
    `,
  ];

  @state() private month = '';
  /** The day that holds the grid's one tab stop. */
  @state() private active = '';
  private focusAfterRender = false;

  protected reload(): void {
    const today = dateIn(new Date(), this.ctx.timeZone);
    this.month ||= today.slice(0, 7);
    this.active ||= today;
    const weeks = monthGrid(this.month);
    const { start, end } = dayBounds(weeks[0]![0]!, weeks.at(-1)!.at(-1)!, this.ctx.timeZone);
    this.store.load({ start, end, status: 'all' });
  }

  override render() {
    const zone = this.ctx.timeZone;
    const today = dateIn(new Date(), zone);
    const weeks = monthGrid(this.month);
    const byDay = new Map<string, PlacedTask[]>();
    for (const t of this.store.items) {
      const day = dateIn(new Date(t.dueAt!), zone);
      byDay.set(day, [...(byDay.get(day) ?? []), t]);
    }
    const [y, m] = this.month.split('-').map(Number) as [number, number];
    const title = new Intl.DateTimeFormat(undefined, {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(Date.UTC(y, m - 1, 1));
    return html`<h1>Calendar</h1>
      ${this.banner()}
      <div class="bar">
        <h2 id="month-title" aria-live="polite">${title}</h2>
        <button class="btn" @click=${() => this.go(shiftMonth(this.month, -1))} aria-label="Previous month">‹</button>
        <button class="btn" @click=${() => this.go(today.slice(0, 7), today)}>This month</button>
        <button class="btn" @click=${() => this.go(shiftMonth(this.month, 1))} aria-label="Next month">›</button>
      </div>
      <div role="grid" aria-labelledby="month-title" aria-busy=${this.store.loading} @keydown=${this.onKey}>
        <div role="row">${WEEKDAYS.map((d) => html`<div role="columnheader">${d}</div>`)}</div>
        ${weeks.map(
          (week) =>
            html`<div role="row">${week.map((day) => this.renderCell(day, byDay.get(day) ?? [], today))}</div>`,
        )}
      </div>`;
  }

  private renderCell(day: string, tasks: PlacedTask[], today: string) {
    const active = day === this.active;
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const name = new Intl.DateTimeFormat(undefined, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    }).format(Date.UTC(y, m - 1, d));
    const count = tasks.length ? `, ${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'}` : '';
    return html`<div
      role="gridcell"
      data-day=${day}
      class="${day.slice(0, 7) === this.month ? '' : 'outside'} ${day === today ? 'today' : ''}"
      tabindex=${active ? 0 : -1}
      aria-selected=${active}
      aria-current=${day === today ? 'date' : 'false'}
      @focus=${() => (this.active = day)}
      @click=${(e: MouseEvent) => {
        if (e.target === e.currentTarget) this.active = day;
      }}
    >
      <span class="num" aria-hidden="true">${d}</span><span class="visually-hidden">${name}${count}</span>
      ${tasks
        .slice(0, PER_CELL)
        .map(
          (t) =>
            html`<a class="cell-task ${t.completed ? 'done' : ''}" href="/calendar/tasks/${encodeURIComponent(t.id)}" tabindex=${active ? 0 : -1} @click=${followLink}>${t.title}</a>`,
        )}
      ${tasks.length > PER_CELL ? html`<p class="more muted">+${tasks.length - PER_CELL} more</p>` : nothing}
    </div>`;
  }

  override updated(): void {
    if (!this.focusAfterRender) return;
    this.focusAfterRender = false;
    this.renderRoot.querySelector<HTMLElement>(`[data-day="${this.active}"]`)?.focus();
  }

  /** Shows `month` with `day` (default: its 1st) as the active day, reloading its tasks. */
  private go(month: string, day = `${month}-01`, focus = false) {
    this.month = month;
    this.active = day;
    this.focusAfterRender = focus;
    this.reload();
  }

  private onKey(e: KeyboardEvent) {
    const cell = e.composedPath()[0] as HTMLElement;
    if (cell.getAttribute?.('role') !== 'gridcell') return;
    const day = this.active;
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    const moves: Record<string, () => string> = {
      ArrowLeft: () => addToDate(day, -1),
      ArrowRight: () => addToDate(day, 1),
      ArrowUp: () => addToDate(day, -7),
      ArrowDown: () => addToDate(day, 7),
      Home: () => addToDate(day, -weekday),
      End: () => addToDate(day, 6 - weekday),
      PageUp: () => `${shiftMonth(day.slice(0, 7), -1)}-01`,
      PageDown: () => `${shiftMonth(day.slice(0, 7), 1)}-01`,
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const next = move();
    if (next.slice(0, 7) !== this.month) this.go(next.slice(0, 7), next, true);
    else {
      this.active = next;
      this.focusAfterRender = true;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'calendar-page': CalendarPage;
  }
}
