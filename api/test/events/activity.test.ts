import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('activity and calendar on %s', (storage) => {
  const t = useTestApp(storage);

  it('keeps an audit trail of every change, newest first, paged, per user', async () => {
    const task = await createTask(t, t.auth, { title: 'Audited' });
    await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      headers: t.auth,
      payload: { title: 'Audited twice', tags: ['x'] },
    });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/complete`, headers: t.auth });
    const page = await eventually('the audit trail', async () => {
      const res = (await t.server.inject({ url: '/api/v1/activity?limit=2', headers: t.auth })).json();
      expect(res.items).toHaveLength(2);
      expect(res.items[0].type).toBe('task.completed');
      return res;
    });
    expect(page.items[1]).toMatchObject({
      type: 'task.updated',
      taskId: task.id,
      title: 'Audited twice',
      changes: { fields: ['title', 'tags'] },
    });
    const rest = (
      await t.server.inject({ url: `/api/v1/activity?limit=2&cursor=${page.nextCursor}`, headers: t.auth })
    ).json();
    expect(rest.items.map((i: { type: string }) => i.type)).toEqual(['task.created']);
    expect(rest.nextCursor).toBeNull();
    const other = await t.user();
    expect((await t.server.inject({ url: '/api/v1/activity', headers: other.auth })).json().items).toEqual(
      [],
    );
    // Well-formed (base64url) but not issued by the API: 422; a malformed one is a 400.
    expect(
      (await t.server.inject({ url: '/api/v1/activity?cursor=bogus', headers: t.auth })).statusCode,
    ).toBe(422);
  });

  it('serves dated tasks as iCalendar with RRULE and time zone, also with the token in the query', async () => {
    await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: {
        title: 'Book club',
        dueAt: '2030-06-03T17:30:00Z',
        timeZone: 'Europe/London',
        recurrence: { rule: 'FREQ=MONTHLY;BYDAY=1TU' },
      },
    });
    const token = t.auth.authorization.slice('Bearer '.length);
    const res = await t.server.inject({ url: `/api/v1/calendar.ics?access_token=${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    expect(res.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(res.body).toContain('SUMMARY:Book club');
    expect(res.body).toContain('RRULE:FREQ=MONTHLY;BYDAY=1TU');
    expect(res.body).toContain('TZID=Europe/London');
    expect(res.body).not.toContain('Audited');
    expect((await t.server.inject({ url: '/api/v1/calendar.ics?access_token=forged' })).statusCode).toBe(401);
  });
});
