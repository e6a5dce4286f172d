import { randomUUID } from 'node:crypto';
import { loadConfig } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { bulkDelivery, deliverInBulk, postBulk } from '../support/dapr-bulk.js';
import { recordingSidecar } from '../support/recording-sidecar.js';
import { createTask } from '../support/task-requests.js';
import { createTestApp, useTestApp } from '../support/test-app.js';

describe('Dapr subscription routes', () => {
  const t = useTestApp('postgres', {
    env: {
      TOPIC_PREFIX: 'acme',
      PUBSUB_NAME: 'acme-pubsub',
      APP_API_TOKEN: 'sidecar-secret',
    },
    user: false,
  });

  const post = (url: string, body: unknown, token?: string) => postBulk(t.server, url, body, token);

  /**
   * A task-events CloudEvent of a task created through the API, under an id of its own: the in-process relay
   * delivers the task's own event, so only this one's effects tell what the route applied.
   */
  const taskEvent = async (title: string) => {
    const { auth } = await t.user();
    const task = await createTask(t, auth, { title });
    const { rows } = await t.db.query<{ event: object }>(
      "SELECT event FROM outbox_log WHERE key = $1 AND 'acme.task-events' = ANY(topics)",
      [task.id],
    );
    return { ...rows[0]!.event, id: randomUUID() };
  };
  /** The audit-trail rows an event made. */
  const activityOf = async (event: { id: string }) =>
    (
      await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM activity WHERE event_id = $1', [
        event.id,
      ])
    ).rows[0]!.n;

  it('declares every topic with the prefix rule, the dead-letter topic and bulk delivery, in GET /dapr/subscribe', async () => {
    const res = await t.server.inject({ url: '/dapr/subscribe' });
    expect(res.statusCode).toBe(200);
    const common = {
      deadLetterTopic: 'acme.dead-letters',
      bulkSubscribe: { enabled: true, maxMessagesCount: 250, maxAwaitDurationMs: 5 },
    };
    expect(res.json()).toEqual([
      { pubsubname: 'acme-pubsub', topic: 'acme.task-events', route: '/events/tasks', ...common },
      { pubsubname: 'acme-pubsub-reminders', topic: 'acme.reminders', route: '/events/reminders', ...common },
      {
        pubsubname: 'acme-pubsub-task-updates',
        topic: 'acme.task-updates',
        route: '/events/updates',
        ...common,
      },
    ]);
  });

  it('applies a bulk, answers SUCCESS per entry id, and again (without a second effect) for a redelivery', async () => {
    const [one, two] = [await taskEvent('first'), await taskEvent('second')];
    for (let i = 0; i < 2; i++) {
      const res = await post('/events/tasks', bulkDelivery([one, two]));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        statuses: [
          { entryId: '0', status: 'SUCCESS' },
          { entryId: '1', status: 'SUCCESS' },
        ],
      });
    }
    expect([await activityOf(one), await activityOf(two)]).toEqual([1, 1]);
  });

  it('answers DROP for the entries that can never be processed, keeping a well-formed one as a dead letter, and applies the rest', async () => {
    // A well-formed event whose data PostgreSQL refuses (a task id that is not a UUID) is set aside, not lost.
    const broken = {
      specversion: '1.0',
      id: 'b3c4d5e6-0000-4000-8000-000000000001',
      source: '/todo-api',
      type: 'todo.task.created',
      subject: 'x',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { id: 'not-a-uuid', userId: 'u', title: 't' },
    };
    const good = await taskEvent('good');
    expect(await deliverInBulk(t.server, '/events/tasks', [{ hello: 'world' }, broken, good])).toEqual([
      'DROP',
      'DROP',
      'SUCCESS',
    ]);
    const dead = await t.db.query('SELECT consumer FROM consumer_dead WHERE event_id = $1', [broken.id]);
    expect(dead.rows).toEqual([{ consumer: 'activity' }]);
    expect(await activityOf(good)).toBe(1);
  });

  it.each([
    ['not JSON', '{not json'],
    ['a single CloudEvent, not a bulk', 'single'],
    ['no entries', { entries: [] }],
    ['an entry without an entry id', 'no-id'],
    ['the same entry id twice', 'twice'],
  ])('refuses a bulk body with %s as 400, applying nothing of it', async (_, shape) => {
    const event = await taskEvent('never applied');
    const valid = bulkDelivery([event]);
    const body =
      shape === 'single'
        ? event
        : shape === 'no-id'
          ? { ...valid, entries: [{ event }] }
          : shape === 'twice'
            ? { ...valid, entries: [...valid.entries, ...valid.entries] }
            : shape;
    const res = await post('/events/tasks', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await activityOf(event)).toBe(0);
  });

  it('refuses callers without the app API token, before reading the body', async () => {
    const event = await taskEvent('not from the sidecar');
    expect((await post('/events/tasks', bulkDelivery([event]), 'wrong')).statusCode).toBe(403);
    const withoutToken = await t.server.inject({
      method: 'POST',
      url: '/events/reminders',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(withoutToken.statusCode).toBe(403);
    const job = await t.server.inject({ method: 'POST', url: '/job/reminder-x', payload: {} });
    expect(job.statusCode).toBe(403);
    expect(await activityOf(event)).toBe(0);
  });
});

describe('the app API token', () => {
  it.each([{ EVENT_BUS: 'dapr' }, { REMINDER_BACKEND: 'dapr-jobs' }])(
    'is required by the configuration when the API runs behind Dapr (%o)',
    (env) => {
      expect(() => loadConfig(env)).toThrow(/APP_API_TOKEN is required when EVENT_BUS=dapr/);
      expect(loadConfig({ ...env, APP_API_TOKEN: 'sidecar-secret' }).APP_API_TOKEN).toBe('sidecar-secret');
    },
  );

  it('closes /events/* and /job/* of an API that is not behind Dapr', async () => {
    const t = await createTestApp('postgres');
    try {
      for (const url of ['/events/tasks', '/events/reminders', '/events/updates', '/job/reminder-x']) {
        const res = await t.server.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', 'dapr-api-token': '' },
          payload: '{}',
        });
        expect(res.statusCode, url).toBe(403);
      }
    } finally {
      await t.close();
    }
  });
});

describe('reminders through the Dapr Jobs API', () => {
  it('schedules, moves (overwriting, never deleting first) and deletes one job per reminder, and fires once per callback', async () => {
    const sidecar = await recordingSidecar();
    const t = await createTestApp('postgres', {
      REMINDER_BACKEND: 'dapr-jobs',
      DAPR_HTTP_PORT: String(sidecar.port),
      APP_API_TOKEN: 'sidecar-secret',
    });
    try {
      const { auth } = await t.user();
      const due = '2031-01-01T10:00:00.000Z';
      const task = await createTask(t, auth, {
        title: 'Dentist',
        dueAt: due,
        reminders: [{ before: 'PT1H' }],
      });
      const reminderId = task.reminders[0]!.id;
      const name = `reminder-${task.id}-${reminderId}`;
      await eventually('the job scheduled', () => sidecar.calls.some((c) => c.method === 'POST'));
      const scheduled = sidecar.calls.find((c) => c.method === 'POST')!;
      expect(scheduled.url).toBe(`/v1.0/jobs/${name}`);
      // Retried by the scheduler for half a minute if the callback fails, not Dapr's 3 s default.
      expect(scheduled.body).toEqual({
        dueTime: '2031-01-01T09:00:00.000Z',
        overwrite: true,
        data: { taskId: task.id, reminderId },
        failurePolicy: { constant: { interval: '2s', maxRetries: 15 } },
      });

      const job = () =>
        t.server.inject({
          method: 'POST',
          url: `/job/${name}`,
          headers: { 'content-type': 'application/json', 'dapr-api-token': 'sidecar-secret' },
          payload: '{}',
        });
      expect((await job()).statusCode).toBe(200);
      const early = await t.server.inject({ url: '/api/v1/notifications', headers: auth });
      expect(early.json().items).toEqual([]);

      const soon = new Date(Date.now() + 3_600_000 - 2000);
      await t.server.inject({
        method: 'PATCH',
        url: `/api/v1/tasks/${task.id}`,
        headers: auth,
        payload: { dueAt: soon.toISOString() },
      });
      await eventually(
        'the job rescheduled',
        () => sidecar.calls.filter((c) => c.method === 'POST').length === 2,
      );
      const moved = new Date(soon.getTime() - 3_600_000).toISOString();
      expect(sidecar.calls.filter((c) => c.method === 'POST').at(-1)!.body).toMatchObject({
        dueTime: moved,
        overwrite: true,
      });
      expect(sidecar.calls.filter((c) => c.method === 'DELETE')).toEqual([]);

      // A late event of version 1 (as after a redelivery) must not bring back version 1's reminder time.
      const { rows } = await t.db.query<{ event: { data: { version: number } } }>(
        "SELECT event FROM outbox_log WHERE key = $1 AND event->>'type' = 'todo.task.created'",
        [task.id],
      );
      const stale = { ...rows[0]!.event, id: randomUUID() };
      expect(stale.data.version).toBe(1);
      const callsBefore = sidecar.calls.length;
      expect(await deliverInBulk(t.server, '/events/tasks', [stale])).toEqual(['SUCCESS']);
      expect(sidecar.calls.slice(callsBefore)).toEqual([]);
      const schedule = await t.db.query<{ fire_at: Date }>(
        'SELECT fire_at FROM reminder_schedule WHERE task_id = $1',
        [task.id],
      );
      expect(schedule.rows.map((r) => r.fire_at.toISOString())).toEqual([moved]);

      for (let i = 0; i < 2; i++) expect((await job()).statusCode).toBe(200);
      await eventually('the notification', async () => {
        const n = await t.server.inject({ url: '/api/v1/notifications', headers: auth });
        return expect(n.json().items).toHaveLength(1);
      });
      const malformed = `reminder-${'-'.repeat(36)}-${'0'.repeat(36)}`;
      expect(
        (
          await t.server.inject({
            method: 'POST',
            url: `/job/${malformed}`,
            payload: '{}',
            headers: { 'content-type': 'application/json', 'dapr-api-token': 'sidecar-secret' },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await t.server.inject({
            method: 'POST',
            url: '/job/something-else',
            payload: '{}',
            headers: { 'content-type': 'application/json', 'dapr-api-token': 'sidecar-secret' },
          })
        ).statusCode,
      ).toBe(200);

      await t.server.inject({ method: 'DELETE', url: `/api/v1/tasks/${task.id}`, headers: auth });
      await eventually('the job deleted', () =>
        sidecar.calls.some((c) => c.method === 'DELETE' && c.url.endsWith(name)),
      );
    } finally {
      await t.close();
      sidecar.close();
    }
  });
});
