/** How the deterministic planner words tasks and dates in its replies, and the day ranges it asks for. */
import { instantToZonedWallClock } from '@todo/recurrence';
import { dayStart } from '../tasks/task-views.js';
import type { ListFilter } from './planner-intents.js';

/** A title in curly quotes, as replies show it. */
export const quoted = (title: string) => `“${title}”`;

/** "Thu 26 Nov, 09:00" in the user's zone. */
export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

interface Describable {
  title: string;
  dueAt?: string | null | undefined;
  tags?: string[] | undefined;
  priority?: string | undefined;
  completed?: boolean | undefined;
}

/** “Pay rent” due Tue 1 Dec, 09:00, every month on the 1st, #home, high priority. */
export function describeTask(
  task: Describable,
  timeZone: string,
  recurrence: string | null = null,
  details = true,
): string {
  const parts = [quoted(task.title)];
  if (!details) return parts[0]!;
  if (task.dueAt) parts.push(`due ${formatWhen(task.dueAt, timeZone)}`);
  if (recurrence) parts.push(recurrence);
  const extra = [
    ...(task.tags ?? []).map((t) => `#${t}`),
    ...(task.priority && task.priority !== 'none' ? [`${task.priority} priority`] : []),
    ...(task.completed ? ['done'] : []),
  ];
  return extra.length ? `${parts.join(' ')}, ${extra.join(', ')}` : parts.join(' ');
}

/**
 * `{dueAfter, dueBefore}` from the start of the day `from` days after today to the start of the day `to` days
 * after it (`'week'`: the Monday after this week), in the user's zone.
 */
export function dayRange(now: Date, timeZone: string, from: number, to: number | 'week') {
  const today = instantToZonedWallClock(now, timeZone);
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  const end = to === 'week' ? (8 - weekday) % 7 || 7 : from + to;
  return {
    dueAfter: dayStart(now, timeZone, from).toISOString(),
    dueBefore: dayStart(now, timeZone, end).toISOString(),
  };
}

const WINDOW_WORDS: Record<NonNullable<ListFilter['window']>, string> = {
  today: 'due today (and overdue)',
  tomorrow: 'due tomorrow',
  week: 'due this week',
  upcoming: 'due in the next 14 days',
  overdue: 'overdue',
};

/** The heading of a list reply and what it says when the list is empty. */
export function listReply(filter: ListFilter): { some: string; none: string } {
  const what = [
    filter.status === 'completed' ? 'Completed tasks' : 'Open tasks',
    filter.window ? WINDOW_WORDS[filter.window] : '',
    filter.tags.length ? `tagged ${filter.tags.map((t) => `#${t}`).join(' or ')}` : '',
    filter.priority ? `of ${filter.priority} priority` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { some: what, none: `No ${what.charAt(0).toLowerCase()}${what.slice(1)}.` };
}
