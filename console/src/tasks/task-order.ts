import type { Task } from '@todo/contract';
import { PRIORITIES } from '@todo/contract/constants';
import type { Sort, ViewState } from './view-state.js';

/** Client-side view rules, used to place live updates in the list the server already sorted and filtered. */

/** Whether a task belongs in a view; `q` is approximated by a case-insensitive substring search. */
export function matchesView(task: Task, view: ViewState, now: Date): boolean {
  if (view.status === 'open' && task.completed) return false;
  if (view.status === 'completed' && !task.completed) return false;
  if (view.priority.length && !view.priority.includes(task.priority)) return false;
  if (view.tags.length) {
    const has = (t: string) => task.tags.includes(t);
    if (view.tagMode === 'all' ? !view.tags.every(has) : !view.tags.some(has)) return false;
  }
  if (view.recurring && !task.recurrence) return false;
  if (view.overdue && !(task.dueAt && !task.completed && new Date(task.dueAt) < now)) return false;
  if ((view.dueAfter || view.dueBefore) && !task.dueAt) return false;
  if (view.q) {
    const hay = `${task.title}\n${task.description}\n${task.tags.join(' ')}`.toLowerCase();
    if (
      !view.q
        .toLowerCase()
        .split(/\s+/)
        .every((word) => hay.includes(word))
    )
      return false;
  }
  return true;
}

/** A comparator matching the API's ORDER BY: missing due dates last either way, ties broken by id. */
export function compareTasks(sort: Sort): (a: Task, b: Task) => number {
  const dir = sort.startsWith('-') ? -1 : 1;
  const key = sort.replace(/^-/, '');
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (a, b) => {
    let c: number;
    if (key === 'due') {
      if (a.dueAt === null || b.dueAt === null) c = a.dueAt === b.dueAt ? 0 : a.dueAt === null ? 1 : -1;
      else c = dir * (Date.parse(a.dueAt) - Date.parse(b.dueAt));
    } else if (key === 'priority')
      c = dir * (PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
    else if (key === 'title') c = dir * byText(a.title.toLowerCase(), b.title.toLowerCase());
    else if (key === 'updated') c = dir * (Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
    else c = dir * (Date.parse(a.createdAt) - Date.parse(b.createdAt));
    return c || dir * byText(a.id, b.id);
  };
}

/**
 * The list after a task changed: replaced in place, moved, inserted or dropped as the view requires.
 * `complete` says whether every matching task is loaded; when not, a task sorting after the last loaded
 * one is left for the next page rather than shown out of order.
 */
export function placeTask(items: Task[], task: Task, view: ViewState, now: Date, complete: boolean): Task[] {
  const without = items.filter((t) => t.id !== task.id);
  if (!matchesView(task, view, now)) return without.length === items.length ? items : without;
  const cmp = compareTasks(view.sort);
  const at = without.findIndex((t) => cmp(task, t) < 0);
  if (at === -1) return complete ? [...without, task] : without;
  return [...without.slice(0, at), task, ...without.slice(at)];
}
