import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import '../dnd/task-groups.js';
import type { PlacedTask } from '../projects/project-types.js';
import '../ui/error-banner.js';
import { DatedView } from './dated-view.js';
import { zonedDay } from './day-range.js';

/** Today: what is overdue and what is due today, in the user's zone. */
@customElement('today-page')
export class TodayPage extends DatedView {
  protected reload(): void {
    this.store.load({ start: null, end: zonedDay(new Date(), this.ctx.timeZone).end, status: 'open' });
  }

  override render() {
    const today = zonedDay(new Date(), this.ctx.timeZone);
    const overdue = this.store.items.filter((t) => Date.parse(t.dueAt!) < today.start.getTime());
    const due = this.store.items.filter((t) => Date.parse(t.dueAt!) >= today.start.getTime());
    const label = new Intl.DateTimeFormat(undefined, {
      timeZone: this.ctx.timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    }).format(today.start);
    const groups = [
      ...(overdue.length ? [{ key: 'overdue', label: 'Overdue', tasks: overdue }] : []),
      { key: today.date, label: `Today · ${label}`, tasks: due, empty: 'Nothing else due today.' },
    ];
    return html`<h1>Today</h1>
      ${this.banner()}
      ${
        this.store.loaded
          ? html`<task-groups
              .groups=${groups}
              .timeZone=${this.ctx.timeZone}
              .projectNames=${this.projectNames()}
              base="/today"
              @complete=${(e: CustomEvent<PlacedTask>) => this.complete(e.detail)}
            ></task-groups>`
          : html`<p class="muted" role="status">Loading…</p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'today-page': TodayPage;
  }
}
