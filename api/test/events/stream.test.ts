import { openEventStream, type StreamMessage } from '@todo/infra/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('live updates over SSE on %s', (storage) => {
  const t = useTestApp(storage, { env: { STREAM_HEARTBEAT_MS: '200' } });
  let base: string;
  beforeAll(async () => {
    base = await t.server.listen({ port: 0, host: '127.0.0.1' });
  });

  const named = (events: StreamMessage[]) => events.filter((e) => e.event);

  it('pushes task changes and notifications to the owner only, with heartbeats', async () => {
    const other = await t.user();
    const mine = await openEventStream(`${base}/api/v1/stream`, t.auth);
    const theirs = await openEventStream(`${base}/api/v1/stream`, other.auth);
    await Promise.all([mine.connected, theirs.connected]);
    const task = await createTask(t, t.auth, {
      title: 'Live',
      reminders: [{ remindAt: new Date(Date.now() + 300).toISOString() }],
    });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/complete`, headers: t.auth });
    const events = await mine.closeWhen(
      (ev) =>
        ['task.created', 'task.completed'].every((name) => named(ev).some((e) => e.event === name)) &&
        ev.some((e) => e.comment === 'heartbeat'),
    );
    await t.events.drained();
    // Theirs ends at its next heartbeat, once everything of mine was delivered and the backbone is idle.
    const seen = theirs.messages.length;
    const theirEvents = await theirs.closeWhen((ev) => ev.length > seen);
    expect(mine.status).toBe(200);
    expect(mine.contentType).toContain('text/event-stream');
    const names = named(events).map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['task.created', 'task.completed']));
    const created = named(events).find((e) => e.event === 'task.created')!;
    expect(JSON.parse(created.data!)).toMatchObject({ id: task.id, title: 'Live' });
    expect(JSON.parse(created.data!).userId).toBeUndefined();
    expect(events.some((e) => e.comment === 'heartbeat')).toBe(true);
    expect(named(theirEvents)).toEqual([]);
  });

  it('sends each task as the REST API shows it: no owner, no place in its series', async () => {
    // Until the task, its completion and the next occurrence the recurrence consumer makes have all arrived.
    const stretch = (ev: StreamMessage[], event: string) =>
      named(ev).filter((e) => e.event === event && e.data?.includes('"title":"Stretch"')).length;
    const listening = await openEventStream(`${base}/api/v1/stream`, t.auth);
    await listening.connected;
    const created = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: {
        title: 'Stretch',
        dueAt: '2030-03-01T07:00:00Z',
        timeZone: 'Europe/Paris',
        recurrence: { rule: 'FREQ=DAILY' },
      },
    });
    const completed = await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${created.json().id}/complete`,
      headers: t.auth,
    });
    const events = await listening.closeWhen(
      (ev) => stretch(ev, 'task.created') >= 2 && stretch(ev, 'task.completed') >= 1,
    );
    const payloads = named(events).map((e) => ({ event: e.event, data: JSON.parse(e.data!) }));
    expect(payloads).toContainEqual({ event: 'task.created', data: created.json() });
    expect(payloads).toContainEqual({ event: 'task.completed', data: completed.json() });
    const next = payloads.find(
      (p) => p.event === 'task.created' && p.data.title === 'Stretch' && p.data.id !== created.json().id,
    );
    expect(next?.data).toMatchObject({ title: 'Stretch', seriesId: created.json().id });
    for (const { data } of payloads) {
      expect(Object.keys(data)).not.toContain('occurrence');
      expect(Object.keys(data)).not.toContain('seriesStart');
      expect(Object.keys(data)).not.toContain('userId');
    }
  });

  it('delivers a notification event when a reminder fires', async () => {
    const listening = await openEventStream(`${base}/api/v1/stream`, t.auth);
    await listening.connected;
    await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'Ping me', reminders: [{ remindAt: new Date(Date.now() + 200).toISOString() }] },
    });
    const events = await listening.closeWhen((ev) => named(ev).some((e) => e.event === 'notification'));
    const n = named(events).find((e) => e.event === 'notification');
    expect(JSON.parse(n!.data!)).toMatchObject({ type: 'reminder', title: 'Ping me', readAt: null });
  });

  it('resumes after Last-Event-ID with what was missed, and accepts the token in the query', async () => {
    const before = await (await openEventStream(`${base}/api/v1/stream?lastEventId=0`, t.auth)).closeWhen(
      (ev) => named(ev).length >= 1,
      3000,
    );
    const lastId = Number(named(before).at(-1)?.id ?? 0);
    const missed = await createTask(t, t.auth, { title: 'Missed while away' });
    await t.events.drained();
    const token = t.auth.authorization.slice(7);
    const resumed = await (
      await openEventStream(`${base}/api/v1/stream?access_token=${token}`, {
        'last-event-id': String(lastId),
      })
    ).closeWhen((ev) => named(ev).some((e) => e.data?.includes(missed.id)));
    expect(
      named(resumed).some((e) => e.event === 'task.created' && e.data?.includes('Missed while away')),
    ).toBe(true);
    expect(named(resumed).every((e) => Number(e.id) > lastId)).toBe(true);
  });

  it('refuses a stream without a valid token', async () => {
    const res = await fetch(`${base}/api/v1/stream?access_token=nope`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });
});
