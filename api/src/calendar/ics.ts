/**
 * The iCalendar (RFC 5545) feed of a user's dated tasks.
 *
 * Choices:
 * - Each dated task is a VEVENT by default (the only component Google Calendar, Apple Calendar and Outlook
 *   show from a subscribed feed), at its due time, without duration and TRANSP:TRANSPARENT so it never blocks
 *   time. `component: 'VTODO'` renders VTODOs instead (DTSTART = DUE, STATUS, COMPLETED) for task clients.
 * - Times are local wall-clock with TZID=<IANA zone> and a VTIMEZONE computed from Intl (see vtimezone.ts);
 *   "UTC" tasks use UTC times. Recurring tasks thus keep their local time across DST in every client.
 * - RRULE only on an open task recurring `from: "due"`: its dates are known in advance. A completed task's
 *   successor is already in the feed with its own RRULE, and `from: "completion"` dates depend on when the
 *   task gets done, so both are single events. COUNT becomes what is left of the series (using the task's
 *   `occurrence`, 1-based), and UNTIL is written in UTC, as RFC 5545 requires with a TZID start.
 * - Reminders become VALARMs: a relative TRIGGER before the start, or an absolute UTC one.
 */

import {
  canonicalTimeZone,
  formatRuleParts,
  instantToZonedWallClock,
  parseIsoDuration,
  parseRuleParts,
  type RuleParts,
  reminderFireTime,
  seriesWallClock,
  zonedWallClockToInstant,
} from '@todo/recurrence';
import {
  escapeText,
  formatDuration,
  formatLocalDateTime,
  formatUtcDateTime,
  joinLines,
} from './ics-lines.js';
import { vtimezoneLines } from './vtimezone.js';

/** The task fields the feed shows (structurally a subset of the API's Task). */
export interface CalendarTask {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  completedAt: string | null;
  priority: 'none' | 'low' | 'medium' | 'high' | 'urgent';
  tags: readonly string[];
  dueAt: string | null;
  timeZone: string;
  reminders: readonly { remindAt?: string | undefined; before?: string | undefined }[];
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  createdAt: string;
  updatedAt: string;
  /** 1-based position in the series, for COUNT; 1 when absent. */
  occurrence?: number;
  /** The series anchor (local wall-clock DTSTART of its first task); absent for tasks written before it. */
  seriesStart?: string | null;
}

export interface CalendarOptions {
  calendarName: string;
  /** DTSTAMP of every component: when the feed was generated. */
  now: Date;
  component?: 'VEVENT' | 'VTODO';
}

export const PRODUCT_ID = '-//todo.dev//Todo API//EN';

const PRIORITY: Record<CalendarTask['priority'], number> = { urgent: 1, high: 3, medium: 5, low: 7, none: 0 };
/** IANA names are letters, digits and / _ + -; anything else would break the TZID parameter. */
const SAFE_ZONE = /^[A-Za-z0-9/_+-]+$/;

/** Renders the tasks that have a due date as one VCALENDAR. */
export function renderCalendar(tasks: readonly CalendarTask[], options: CalendarOptions): string {
  const dated = tasks.filter((task) => task.dueAt !== null && !Number.isNaN(Date.parse(task.dueAt)));
  const thisYear = options.now.getUTCFullYear();
  // Each zone's VTIMEZONE covers a year either side of its tasks' due dates and of today.
  const zoneYears = new Map<string, { from: number; to: number }>();
  for (const task of dated) {
    const zone = zoneOf(task);
    const year = new Date(task.dueAt!).getUTCFullYear();
    const range = zoneYears.get(zone) ?? { from: thisYear - 1, to: thisYear + 1 };
    zoneYears.set(zone, { from: Math.min(range.from, year - 1), to: Math.max(range.to, year + 1) });
  }
  zoneYears.delete('UTC');
  return joinLines([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(options.calendarName)}`,
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
    ...[...zoneYears].flatMap(([zone, years]) => vtimezoneLines(zone, years.from, years.to)),
    ...dated.flatMap((task) => componentLines(task, options)),
    'END:VCALENDAR',
  ]);
}

/** The zone a task is rendered in: its own, canonically named, when usable; otherwise UTC. */
function zoneOf(task: CalendarTask): string {
  const zone = canonicalTimeZone(task.timeZone);
  return zone && zone !== 'Etc/UTC' && SAFE_ZONE.test(zone) ? zone : 'UTC';
}

function dateTimeProperty(name: string, instant: Date, zone: string): string {
  if (zone === 'UTC') return `${name}:${formatUtcDateTime(instant)}`;
  return `${name};TZID=${zone}:${formatLocalDateTime(instantToZonedWallClock(instant, zone))}`;
}

function componentLines(task: CalendarTask, options: CalendarOptions): string[] {
  const kind = options.component ?? 'VEVENT';
  const zone = zoneOf(task);
  const due = new Date(task.dueAt!);
  const rrule = feedRule(task, zone);
  return [
    `BEGIN:${kind}`,
    `UID:${escapeText(task.id)}@todo`,
    `DTSTAMP:${formatUtcDateTime(options.now)}`,
    ...utcProperty('CREATED', task.createdAt),
    ...utcProperty('LAST-MODIFIED', task.updatedAt),
    rrule ? seriesStartProperty(task, due, zone) : dateTimeProperty('DTSTART', due, zone),
    ...(kind === 'VTODO' ? [dateTimeProperty('DUE', due, zone)] : []),
    ...(rrule ? [`RRULE:${rrule}`] : []),
    `SUMMARY:${escapeText(task.title)}`,
    ...(task.description ? [`DESCRIPTION:${escapeText(task.description)}`] : []),
    `PRIORITY:${PRIORITY[task.priority] ?? 0}`,
    ...(task.tags.length > 0 ? [`CATEGORIES:${task.tags.map(escapeText).join(',')}`] : []),
    ...(kind === 'VTODO'
      ? [
          `STATUS:${task.completed ? 'COMPLETED' : 'NEEDS-ACTION'}`,
          ...utcProperty('COMPLETED', task.completedAt),
        ]
      : ['TRANSP:TRANSPARENT']),
    ...task.reminders.flatMap((reminder) => alarmLines(reminder, task)),
    `END:${kind}`,
  ];
}

/**
 * DTSTART of a recurring task: the series' own wall-clock time. A task that a DST gap moved (02:30 does not
 * exist, so it is due at 03:30) starts at 02:30 in the feed: clients resolve the gap the same way for this
 * occurrence and keep the following ones at 02:30, as the API does.
 */
function seriesStartProperty(task: CalendarTask, due: Date, zone: string): string {
  const parsed = parseRuleParts(task.recurrence!.rule);
  if (zone === 'UTC' || !parsed.ok) return dateTimeProperty('DTSTART', due, zone);
  return `DTSTART;TZID=${zone}:${formatLocalDateTime(seriesWallClock(due, zone, parsed.parts, task.seriesStart))}`;
}

function utcProperty(name: string, value: string | null): string[] {
  if (value === null || Number.isNaN(Date.parse(value))) return [];
  return [`${name}:${formatUtcDateTime(new Date(value))}`];
}

/** The RRULE a feed can state for the task, or null (see the module comment). */
function feedRule(task: CalendarTask, zone: string): string | null {
  const recurrence = task.recurrence;
  if (recurrence?.from !== 'due' || task.completed) return null;
  const parsed = parseRuleParts(recurrence.rule);
  if (!parsed.ok) return null;
  const parts: RuleParts = { ...parsed.parts };
  if (parts.count !== undefined) {
    parts.count -= (task.occurrence ?? 1) - 1;
    if (parts.count < 1) return null;
  }
  if (parts.until && !parts.until.utc) {
    const instant = zonedWallClockToInstant(parts.until.wallClock, zone);
    parts.until = { wallClock: instantToZonedWallClock(instant, 'UTC'), utc: true };
  }
  return formatRuleParts(parts);
}

function alarmLines(reminder: CalendarTask['reminders'][number], task: CalendarTask): string[] {
  let trigger: string;
  if (reminder.before !== undefined) {
    const before = parseIsoDuration(reminder.before);
    if (!before.ok) return [];
    trigger = `TRIGGER:${formatDuration(before.milliseconds, '-')}`;
  } else {
    const at = reminderFireTime(reminder, task.dueAt);
    if (!at) return [];
    trigger = `TRIGGER;VALUE=DATE-TIME:${formatUtcDateTime(at)}`;
  }
  return ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(task.title)}`, trigger, 'END:VALARM'];
}
