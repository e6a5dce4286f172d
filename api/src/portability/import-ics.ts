import { createHash, randomUUID } from 'node:crypto';
import type { Priority, Reminder } from '@todo/contract';
import { canonicalTimeZone, zonedWallClockToInstant } from '@todo/recurrence';
import { DEFAULT_DUE_HOUR } from '@todo/recurrence/quick-add';
import ICAL from 'ical.js';
import { ValidationError } from '../http/errors.js';
import { instantInRange, quoted, readDescription, readTags, readTitle } from './import-fields.js';
import type { ImportDraft, ImportPlan, SkippedItem } from './import-plan.js';

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;
type Time = InstanceType<typeof ICAL.Time>;
type Duration = InstanceType<typeof ICAL.Duration>;

const MAX_REMINDERS = 10;

/** RFC 5545 PRIORITY: 1 highest … 9 lowest, 0 undefined; 1–4 "high", 5 "medium", 6–9 "low" (section 3.8.1.9). */
function priorityOf(value: number): Priority | undefined {
  if (value === 0) return 'none';
  if (value === 1) return 'urgent';
  if (value >= 2 && value <= 4) return 'high';
  if (value === 5) return 'medium';
  if (value >= 6 && value <= 9) return 'low';
  return undefined;
}

/** The calendar, or a 422 saying why it is not one. */
function parseCalendar(text: string): Component {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (err) {
    throw new ValidationError(`The file is not a readable iCalendar file: ${(err as Error).message}`);
  }
  const first = Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed : (parsed as unknown[])[0];
  const calendar = Array.isArray(first) ? new ICAL.Component(first as unknown[]) : undefined;
  if (calendar?.name !== 'vcalendar') {
    throw new ValidationError('The file is not an iCalendar file: it has no VCALENDAR.');
  }
  return calendar;
}

/** The line each VTODO begins on, in order (ical.js keeps no positions). */
function todoLines(text: string): number[] {
  return text.split(/\r\n|\n|\r/).flatMap((line, i) => (/^BEGIN:VTODO\s*$/i.test(line) ? [i + 1] : []));
}

/** An instant and the zone it was written in: IANA TZIDs kept, others converted with the file's VTIMEZONE. */
function readTime(
  property: Property,
  zones: Map<string, InstanceType<typeof ICAL.Timezone>>,
  report: (reason: string) => void,
): { at: string; timeZone: string } | undefined {
  const found = readInstant(property, zones, report);
  if (!found) return undefined;
  const at = instantInRange(found.at);
  if (!at) report(`${property.name.toUpperCase()} is not between 1970 and 9999`);
  return at ? { at, timeZone: found.timeZone } : undefined;
}

function readInstant(
  property: Property,
  zones: Map<string, InstanceType<typeof ICAL.Timezone>>,
  report: (reason: string) => void,
): { at: Date; timeZone: string } | undefined {
  const time = property.getFirstValue() as Time;
  const tzid = property.getParameter('tzid') as string | undefined;
  const wall = {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? DEFAULT_DUE_HOUR : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : time.second,
  };
  if (!tzid) {
    // A date-time in UTC (Z), or floating: read in UTC.
    return { at: zonedWallClockToInstant(wall, 'UTC'), timeZone: 'UTC' };
  }
  const zone = canonicalTimeZone(tzid);
  if (zone) return { at: zonedWallClockToInstant(wall, zone), timeZone: zone };
  const defined = zones.get(tzid);
  if (!defined) {
    report(`TZID ${quoted(tzid)} is neither an IANA time zone nor defined in the file`);
    return undefined;
  }
  report(`TZID ${quoted(tzid)} is not an IANA time zone: the time is kept in UTC`);
  const inZone = ICAL.Time.fromData({ ...wall, isDate: false }, defined);
  return { at: inZone.toJSDate(), timeZone: 'UTC' };
}

/** VALARMs → reminders: a trigger before (or at) the due time, or at a date-time; others reported. */
function readAlarms(todo: Component, hasDue: boolean, report: (reason: string) => void): Reminder[] {
  const reminders: Reminder[] = [];
  for (const alarm of todo.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    if (!trigger) continue;
    if (reminders.length === MAX_REMINDERS) {
      report(`only ${MAX_REMINDERS} alarms are kept`);
      break;
    }
    if (trigger.type === 'date-time') {
      reminders.push({
        id: randomUUID(),
        remindAt: (trigger.getFirstValue() as Time).toJSDate().toISOString(),
      });
      continue;
    }
    const offset = trigger.getFirstValue() as Duration;
    if (!hasDue) report('an alarm relative to a due date the task does not have is not kept');
    else if (offset.toSeconds() > 0) report('an alarm after the due time is not kept');
    else {
      const before = offset.clone();
      before.isNegative = false;
      reminders.push({ id: randomUUID(), before: before.toString() });
    }
  }
  return reminders;
}

/** The UID of the VTODO's parent (RELATED-TO, whose RELTYPE is PARENT unless it says otherwise), if any. */
function parentUid(todo: Component): string | null {
  const related = todo
    .getAllProperties('related-to')
    .find((p) => String(p.getParameter('reltype') ?? 'PARENT').toUpperCase() === 'PARENT');
  return related ? String(related.getFirstValue()).slice(0, 1000) : null;
}

/**
 * iCalendar VTODOs → tasks: SUMMARY, DESCRIPTION, DUE (a date alone is due at 9:00), PRIORITY 1–9, CATEGORIES
 * as tags, RRULE, STATUS:COMPLETED and COMPLETED, VALARMs as reminders, RELATED-TO a parent as a subtask. A
 * task's source id is its UID (with RECURRENCE-ID for an overridden occurrence), or a hash of the VTODO.
 */
export function readIcs(text: string, now: Date): ImportPlan {
  const calendar = parseCalendar(text);
  const zones = new Map(
    calendar.getAllSubcomponents('vtimezone').map((c) => {
      const zone = new ICAL.Timezone(c);
      return [zone.tzid, zone] as const;
    }),
  );
  const lines = todoLines(text);
  const drafts: ImportDraft[] = [];
  const skipped: SkippedItem[] = [];
  if (calendar.getAllSubcomponents('vevent').length) {
    skipped.push({ line: 1, reason: 'events (VEVENT) are not tasks: only VTODOs are imported' });
  }
  calendar.getAllSubcomponents('vtodo').forEach((todo, i) => {
    const line = lines[i] ?? 1;
    const report = (reason: string) => skipped.push({ line, reason });
    const name = readTitle(String(todo.getFirstPropertyValue('summary') ?? ''), 'SUMMARY');
    const details = readDescription(String(todo.getFirstPropertyValue('description') ?? ''), 'DESCRIPTION');
    if (!name.ok || !details.ok) {
      report(`not imported: ${[name, details].flatMap((f) => (f.ok ? [] : [f.reason])).join('; ')}`);
      return;
    }
    const due = todo.getFirstProperty('due');
    const when = due ? readTime(due, zones, report) : undefined;

    const rawPriority = todo.getFirstPropertyValue('priority');
    let priority: Priority = 'none';
    if (rawPriority !== null) {
      const known = priorityOf(Number(rawPriority));
      if (known) priority = known;
      else report(`PRIORITY ${quoted(String(rawPriority))} is not 0–9: imported without a priority`);
    }

    const categories = todo.getAllProperties('categories').flatMap((p) => p.getValues().map(String));
    const { tags, refused } = readTags(categories);
    if (refused.length)
      report(`categories that cannot be tags are not kept: ${refused.map(quoted).join(', ')}`);

    const rrule = todo.getFirstPropertyValue('rrule');
    let recurrence: ImportDraft['recurrence'] = null;
    if (rrule && when) recurrence = { rule: String(rrule), from: 'due' };
    else if (rrule) report('RRULE without a DUE date is not kept');

    const completedAt = todo.getFirstPropertyValue('completed') as Time | null;
    const status = String(todo.getFirstPropertyValue('status') ?? '').toUpperCase();
    const completed = status === 'COMPLETED' || completedAt !== null;

    const uid = todo.getFirstPropertyValue('uid');
    const recurrenceId = todo.getFirstPropertyValue('recurrence-id');
    const sourceId = uid
      ? `${String(uid)}${recurrenceId ? `#${String(recurrenceId)}` : ''}`
      : createHash('sha256').update(todo.toString()).digest('base64url');
    const created = todo.getFirstPropertyValue('created') as Time | null;
    const modified = todo.getFirstPropertyValue('last-modified') as Time | null;
    const instant = (t: Time | null) => (t ? instantInRange(t.toJSDate()) : undefined);

    drafts.push({
      line,
      sourceId: sourceId.slice(0, 1000),
      parentKey: parentUid(todo),
      title: name.value,
      description: details.value,
      priority,
      tags,
      dueAt: when?.at ?? null,
      timeZone: when?.timeZone ?? 'UTC',
      reminders: readAlarms(todo, when !== undefined, report),
      recurrence,
      completed,
      completedAt: completed ? (instant(completedAt) ?? now.toISOString()) : null,
      ...(instant(created) ? { createdAt: instant(created)! } : {}),
      ...(instant(modified) ? { updatedAt: instant(modified)! } : {}),
    });
  });
  return { source: 'ics', drafts, skipped };
}
