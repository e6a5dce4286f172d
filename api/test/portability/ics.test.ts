import { beforeAll, describe, expect, it } from 'vitest';
import { renderCalendar } from '../../src/calendar/ics.js';
import { portabilityRepository } from '../../src/portability/portability.repository.js';
import { calendar, portabilityRequests, readFixture } from '../support/import-requests.js';
import { snapshot } from '../support/snapshot.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('iCalendar VTODO import on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let fixture: string;

  const { importFile, tasksByTitle } = portabilityRequests(t);

  beforeAll(async () => {
    fixture = await readFixture('tasks.ics');
  });

  it('maps summary, description, due, priority, categories, repetition, completion and alarms', async () => {
    const { auth } = await t.user();
    const res = await importFile('ics', fixture, { auth });
    expect(res.statusCode, res.body).toBe(200);
    const { created, skipped } = res.json();
    expect(created).toEqual({ projects: 0, tasks: 5 });
    expect(skipped).toEqual([
      { line: 1, reason: 'events (VEVENT) are not tasks: only VTODOs are imported' },
      { line: 62, reason: 'TZID "Custom/Office" is not an IANA time zone: the time is kept in UTC' },
      { line: 62, reason: 'PRIORITY "12" is not 0–9: imported without a priority' },
      { line: 62, reason: 'categories that cannot be tags are not kept: "has space"' },
      { line: 62, reason: 'an alarm after the due time is not kept' },
      { line: 75, reason: 'RRULE without a DUE date is not kept' },
      { line: 81, reason: 'not imported: SUMMARY must not be empty' },
    ]);
    const tasks = await tasksByTitle(auth);
    expect(tasks['Renew passport']).toMatchObject({
      description: 'Photos first, then the form.\nBring the old one.',
      dueAt: '2027-03-15T09:00:00.000Z',
      timeZone: 'Europe/Paris',
      priority: 'urgent',
      tags: ['admin', 'travel'],
      createdAt: '2026-11-01T08:00:00.000Z',
      updatedAt: '2026-11-02T08:00:00.000Z',
      completed: false,
    });
    expect(tasks['Renew passport']!.reminders.map(({ id: _, ...r }) => r)).toEqual([
      { before: 'PT30M' },
      { remindAt: '2027-03-14T18:00:00.000Z' },
    ]);
    expect(tasks['Weekly review']).toMatchObject({
      dueAt: '2027-03-01T09:00:00.000Z',
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
      priority: 'medium',
    });
    expect(tasks['Weekly review']!.seriesId).toBeTruthy();
    expect(tasks['File taxes']).toMatchObject({
      completed: true,
      completedAt: '2026-04-10T12:00:00.000Z',
      priority: 'low',
    });
    expect(tasks['Water the office plant']).toMatchObject({
      dueAt: '2027-07-01T07:00:00.000Z',
      timeZone: 'UTC',
      priority: 'none',
      tags: [],
      reminders: [],
    });
    expect(tasks['Repeats without a due date']).toMatchObject({ recurrence: null, dueAt: null });
  });

  it('creates nothing when the same calendar is imported again (by UID)', async () => {
    const { auth } = await t.user();
    expect((await importFile('ics', fixture, { auth })).json().created.tasks).toBe(5);
    const before = await snapshot(t.db);
    expect((await importFile('ics', fixture, { auth })).json().created.tasks).toBe(0);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('skips hostile VTODOs with a reason and imports the rest', async () => {
    const { auth } = await t.user();
    const ics = calendar(
      'BEGIN:VTODO',
      'UID:bell',
      'SUMMARY:Bell\u0007 ringing',
      'END:VTODO',
      'BEGIN:VTODO',
      'UID:long',
      `SUMMARY:${'x'.repeat(600)}`,
      'END:VTODO',
      'BEGIN:VTODO',
      'UID:ancient',
      'SUMMARY:Ancient',
      'DUE:18000101T000000Z',
      'END:VTODO',
      'BEGIN:VTODO',
      'UID:nowhere',
      'SUMMARY:Nowhere',
      'DUE;TZID=Atlantis/Capital:20270101T090000',
      'END:VTODO',
      'BEGIN:VTODO',
      'SUMMARY:No UID',
      'END:VTODO',
    );
    const res = await importFile('ics', ics, { auth });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      created: { projects: 0, tasks: 3 },
      skipped: [
        { line: 4, reason: 'not imported: SUMMARY must not contain control characters' },
        { line: 8, reason: 'not imported: SUMMARY must be at most 500 characters' },
        { line: 12, reason: 'DUE is not between 1970 and 9999' },
        { line: 17, reason: 'TZID "Atlantis/Capital" is neither an IANA time zone nor defined in the file' },
      ],
    });
    const tasks = await tasksByTitle(auth);
    expect(tasks.Ancient!.dueAt).toBeNull();
    expect(tasks.Nowhere!.dueAt).toBeNull();
    expect((await importFile('ics', ics, { auth })).json().created.tasks).toBe(0);
  });

  it('makes a VTODO related to a parent (RELATED-TO) its subtask', async () => {
    const { auth } = await t.user();
    const ics = calendar(
      'BEGIN:VTODO',
      'UID:child',
      'SUMMARY:Pack',
      'RELATED-TO;RELTYPE=PARENT:trip',
      'END:VTODO',
      'BEGIN:VTODO',
      'UID:trip',
      'SUMMARY:Trip',
      'END:VTODO',
      'BEGIN:VTODO',
      'UID:sibling',
      'SUMMARY:Sibling only',
      'RELATED-TO;RELTYPE=SIBLING:trip',
      'END:VTODO',
    );
    expect((await importFile('ics', ics, { auth })).json()).toEqual({
      created: { projects: 0, tasks: 3 },
      skipped: [],
    });
    const tasks = await tasksByTitle(auth);
    expect(tasks.Pack!.parentId).toBe(tasks.Trip!.id);
    expect(tasks['Sibling only']!.parentId).toBeNull();
  });

  it('refuses a file that is not iCalendar, and writes nothing', async () => {
    const { auth } = await t.user();
    const before = await snapshot(t.db);
    for (const body of [
      'hello',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve\r\nEND:VCARD\r\n',
      'BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\n',
    ]) {
      const res = await importFile('ics', body, { auth });
      expect(res.statusCode, body).toBe(422);
      expect(problemOf(res).detail).toMatch(/^The file is not (a readable iCalendar file|an iCalendar file)/);
    }
    expect(await snapshot(t.db)).toBe(before);
  });

  it('re-imports the VTODOs our calendar renderer writes', async () => {
    const { id: aliceId, auth: alice } = await t.user();
    await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: alice,
      payload: {
        title: 'Book club',
        dueAt: '2030-06-04T17:30:00Z',
        timeZone: 'Europe/London',
        recurrence: { rule: 'FREQ=MONTHLY;BYDAY=1TU' },
        priority: 'high',
        tags: ['books'],
      },
    });
    const feed = renderCalendar(await portabilityRepository.allTasks(t.db, aliceId), {
      calendarName: 'Tasks',
      now: new Date(),
      component: 'VTODO',
    });
    const bob = (await t.user()).auth;
    const res = await importFile('ics', feed, { auth: bob });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created.tasks).toBe(1);
    expect((await tasksByTitle(bob))['Book club']).toMatchObject({
      dueAt: '2030-06-04T17:30:00.000Z',
      timeZone: 'Europe/London',
      recurrence: { rule: 'FREQ=MONTHLY;BYDAY=1TU' },
    });
  });
});
