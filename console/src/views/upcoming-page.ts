import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { describeFailure } from '../api/errors.js';
import type { Drop } from '../dnd/drop-position.js';
import '../dnd/task-groups.js';
import type { ProjectDrop, TaskGroup } from '../dnd/task-groups.js';
import type { PlacedTask } from '../projects/project-types.js';
import '../ui/error-banner.js';
import { DatedView } from './dated-view.js';
import { dateIn, moveToDay, nextDays } from './day-range.js';
import { notify, notifyUndo } from './view-context.js';

/** Days Upcoming shows, today first. */
export const UPCOMING_DAYS = 14;

/** Upcoming: the next fourteen days, a group per day; drag a task to another day to reschedule it. */
@customElement('upcoming-page')
export class UpcomingPage extends DatedView {
  protected reload(): void {
    const days = nextDays(new Date(), this.ctx.timeZone, UPCOMING_DAYS);
    this.store.load({ start: days[0]!.start, end: days.at(-1)!.end, status: 'open' });
  }

  override render() {
    return html`<h1>Upcoming<span class="muted">next ${UPCOMING_DAYS} days</span></h1>
      ${this.banner()}
      ${
        this.store.loaded
          ? html`<task-groups
              sortable
              .groups=${this.groups()}
              .timeZone=${this.ctx.timeZone}
              .projectNames=${this.projectNames()}
              base="/upcoming"
              @complete=${(e: CustomEvent<PlacedTask>) => this.complete(e.detail)}
              @task-drop=${this.reschedule}
              @task-to-project=${(e: CustomEvent<ProjectDrop>) => this.toProject(e)}
            ></task-groups>`
          : html`<p class="muted" role="status">Loading…</p>`
      }`;
  }

  private groups(): TaskGroup[] {
    const zone = this.ctx.timeZone;
    const now = new Date();
    const days = nextDays(now, zone, UPCOMING_DAYS);
    const byDay = new Map<string, PlacedTask[]>();
    for (const t of this.store.items) {
      const day = dateIn(new Date(t.dueAt!), zone);
      byDay.set(day, [...(byDay.get(day) ?? []), t]);
    }
    const weekday = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
    return days.map((d, i) => {
      const name = weekday.format(d.start);
      return {
        key: d.date,
        label: i === 0 ? `Today · ${name}` : i === 1 ? `Tomorrow · ${name}` : name,
        tasks: byDay.get(d.date) ?? [],
        empty: 'Nothing due',
      };
    });
  }

  /** A drop on another day moves the due date there, keeping its time; within a day, time decides the order. */
  private reschedule = async ({ detail }: CustomEvent<Drop>) => {
    const task = this.store.items.find((t) => t.id === detail.id);
    if (!task?.dueAt || dateIn(new Date(task.dueAt), this.ctx.timeZone) === detail.groupKey) return;
    const dueAt = moveToDay(task.dueAt, detail.groupKey, this.ctx.timeZone);
    this.store.upsert({ ...task, dueAt });
    try {
      const moved = await this.ctx.tasks.update(task.id, { dueAt }, task.version);
      this.store.upsert(moved);
      const day = this.groups().find((g) => g.key === detail.groupKey)?.label ?? detail.groupKey;
      const undo = () => this.ctx.tasks.update(task.id, { dueAt: task.dueAt }, moved.version);
      notifyUndo(this, `Moved “${task.title}” to ${day}`, undo, `Moved “${task.title}” back`);
    } catch (err) {
      // Back to where it was: the optimistic copy has the same version, so the original replaces it.
      this.store.upsert(task);
      notify(this, describeFailure(err));
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'upcoming-page': UpcomingPage;
  }
}
