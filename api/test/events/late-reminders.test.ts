import type { Task } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { JOB_SAFETY_NET_GRACE_MS } from '../../src/events/event-system.js';
import { LATE_REMINDER_GRACE_MS, remindersToSchedule } from '../../src/reminders/reminder-schedule.js';
import { recordingSidecar } from '../support/recording-sidecar.js';
import { createTask } from '../support/task-requests.js';
import {
  createTestApp,
  type SharedTestApp,
  STORAGES,
  type TestApp,
  useTestApp,
} from '../support/test-app.js';

const MINUTE = 60_000;
/** The instant the tests' clock starts from: a fixed one, never today. */
const T0 = Date.parse('2031-03-04T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A clock the test moves; the app's event backbone reads it. */
function testClock() {
  const clock = { ms: T0, now: () => new Date(clock.ms) };
  return clock;
}

type Auth = { authorization: string };

/** The reminder notifications of a task, once every due reminder has fired and been applied. */
async function reminderNotifications(t: Pick<TestApp, 'server' | 'events'>, auth: Auth, task: Task) {
  await t.events.drained();
  const res = await t.server.inject({ url: '/api/v1/notifications', headers: auth });
  return (res.json().items as { taskId: string; type: string }[]).filter(
    (n) => n.taskId === task.id && n.type === 'reminder',
  );
}

const patch = (t: Pick<TestApp, 'server'>, auth: Auth, task: Task, payload: object) =>
  t.server.inject({ method: 'PATCH', url: `/api/v1/tasks/${task.id}`, headers: auth, payload });

describe('the late-reminder rule', () => {
  const setAt = new Date(T0);
  const none = new Map<string, Date>();
  const id = '00000000-0000-4000-8000-000000000001';
  it.each([
    ['in the future', { remindAt: at(5 * MINUTE) }, null, at(5 * MINUTE)],
    ['just set, a little past', { remindAt: at(-30_000) }, null, at(-30_000)],
    ['exactly the grace past', { remindAt: at(-LATE_REMINDER_GRACE_MS) }, null, at(-LATE_REMINDER_GRACE_MS)],
    ['a millisecond beyond the grace', { remindAt: at(-LATE_REMINDER_GRACE_MS - 1) }, null, undefined],
    ['15 minutes before a past due date', { before: 'PT15M' }, at(-MINUTE), undefined],
    ['15 minutes before a due date 14.5 minutes ahead', { before: 'PT15M' }, at(14.5 * MINUTE), at(-30_000)],
  ])('schedules a reminder %s as expected', (_name, timing, dueAt, expected) => {
    const wanted = remindersToSchedule([{ id, ...timing }], dueAt, setAt, none);
    expect(wanted.get(id)?.toISOString()).toBe(expected);
  });

  it('keeps a time already scheduled, however far past (an unrelated edit neither drops nor re-fires it)', () => {
    const scheduled = new Map([[id, new Date(T0 - 60 * MINUTE)]]);
    const wanted = remindersToSchedule([{ id, remindAt: at(-60 * MINUTE) }], null, setAt, scheduled);
    expect(wanted.get(id)?.toISOString()).toBe(at(-60 * MINUTE));
  });

  it('drops a reminder moved to a time already past (it does not keep its old time either)', () => {
    const scheduled = new Map([[id, new Date(T0 + 60 * MINUTE)]]);
    expect(remindersToSchedule([{ id, remindAt: at(-5 * MINUTE) }], null, setAt, scheduled).size).toBe(0);
  });
});

describe.each(STORAGES)('late reminders on the database backend, %s', (storage) => {
  const clock = testClock();
  const t: SharedTestApp = useTestApp(storage, { now: clock.now });
  const scheduleOf = async (task: Task) =>
    (
      await t.db.query<{ fire_at: Date }>('SELECT fire_at FROM reminder_schedule WHERE task_id = $1', [
        task.id,
      ])
    ).rows.map((r) => r.fire_at.toISOString());

  it('never fires a reminder more than a minute past when it is set', async () => {
    clock.ms = T0;
    const task = await createTask(t, t.auth, {
      title: 'yesterday',
      dueAt: at(-60 * MINUTE),
      reminders: [{ before: 'PT15M' }, { remindAt: at(-2 * MINUTE) }],
    });
    expect(await scheduleOf(task)).toEqual([]);
    expect(await reminderNotifications(t, t.auth, task)).toEqual([]);
    clock.ms = T0 + 10 * MINUTE;
    expect(await reminderNotifications(t, t.auth, task)).toEqual([]);
  });

  it('fires one within a minute of when it is set, at once and once', async () => {
    clock.ms = T0;
    const task = await createTask(t, t.auth, {
      title: 'just now',
      dueAt: at(14.5 * MINUTE),
      reminders: [{ before: 'PT15M' }],
    });
    expect(await scheduleOf(task)).toEqual([at(-30_000)]);
    expect(await reminderNotifications(t, t.auth, task)).toHaveLength(1);
    clock.ms = T0 + 5 * MINUTE;
    expect(await reminderNotifications(t, t.auth, task)).toHaveLength(1);
  });

  it('fires a future reminder at its time, and an edit of another field leaves it be', async () => {
    clock.ms = T0;
    const task = await createTask(t, t.auth, {
      title: 'later',
      dueAt: at(60 * MINUTE),
      reminders: [{ before: 'PT15M' }],
    });
    expect(await scheduleOf(task)).toEqual([at(45 * MINUTE)]);
    expect(await reminderNotifications(t, t.auth, task)).toEqual([]);
    clock.ms = T0 + 45 * MINUTE;
    expect(await reminderNotifications(t, t.auth, task)).toHaveLength(1);
    clock.ms = T0 + 50 * MINUTE;
    expect((await patch(t, t.auth, task, { title: 'later, renamed' })).statusCode).toBe(200);
    expect(await scheduleOf(task)).toEqual([at(45 * MINUTE)]);
    expect(await reminderNotifications(t, t.auth, task)).toHaveLength(1);
  });

  it('arms a late reminder again when an edit moves the due date into the future', async () => {
    clock.ms = T0;
    const task = await createTask(t, t.auth, {
      title: 'rescheduled',
      dueAt: at(-60 * MINUTE),
      reminders: [{ before: 'PT15M' }],
    });
    expect(await scheduleOf(task)).toEqual([]);
    expect((await patch(t, t.auth, task, { dueAt: at(30 * MINUTE) })).statusCode).toBe(200);
    expect(await scheduleOf(task)).toEqual([at(15 * MINUTE)]);
    expect(await reminderNotifications(t, t.auth, task)).toEqual([]);
    clock.ms = T0 + 15 * MINUTE;
    expect(await reminderNotifications(t, t.auth, task)).toHaveLength(1);
  });
});

describe('late reminders on the Dapr Jobs backend', () => {
  it('schedules no job for a reminder past by more than a minute, one for the rest, and fires each once', async () => {
    const sidecar = await recordingSidecar();
    const clock = testClock();
    const t = await createTestApp(
      'postgres',
      {
        REMINDER_BACKEND: 'dapr-jobs',
        DAPR_HTTP_PORT: String(sidecar.port),
        APP_API_TOKEN: 'sidecar-secret',
      },
      { now: clock.now },
    );
    try {
      const { auth } = await t.user();
      const jobName = (task: Task) => `reminder-${task.id}-${task.reminders[0]!.id}`;
      const scheduled = async (task: Task) => {
        await t.events.drained();
        return sidecar.calls
          .filter((c) => c.method === 'POST' && c.url.endsWith(jobName(task)))
          .map((c) => c.body?.dueTime);
      };
      const fire = (task: Task) =>
        t.server.inject({
          method: 'POST',
          url: `/job/${jobName(task)}`,
          headers: { 'content-type': 'application/json', 'dapr-api-token': 'sidecar-secret' },
          payload: '{}',
        });

      const late = await createTask(t, auth, {
        title: 'late',
        dueAt: at(-60 * MINUTE),
        reminders: [{ before: 'PT15M' }],
      });
      expect(await scheduled(late)).toEqual([]);
      expect((await fire(late)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, late)).toEqual([]);

      const justNow = await createTask(t, auth, {
        title: 'just now',
        dueAt: at(14.5 * MINUTE),
        reminders: [{ before: 'PT15M' }],
      });
      expect(await scheduled(justNow)).toEqual([at(-30_000)]);
      for (let i = 0; i < 2; i++) expect((await fire(justNow)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, justNow)).toHaveLength(1);

      const future = await createTask(t, auth, {
        title: 'future',
        dueAt: at(60 * MINUTE),
        reminders: [{ before: 'PT15M' }],
      });
      expect(await scheduled(future)).toEqual([at(45 * MINUTE)]);
      expect((await fire(future)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, future)).toEqual([]);
      clock.ms = T0 + 45 * MINUTE;
      expect((await fire(future)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, future)).toHaveLength(1);

      // A job that never calls back (the scheduler lost it): the database's poller fires its reminder once
      // the reminder is JOB_SAFETY_NET_GRACE_MS late, not before; the job calling back after that fires nothing.
      const lost = await createTask(t, auth, {
        title: 'lost job',
        dueAt: at(50 * MINUTE),
        reminders: [{ before: 'PT5M' }],
      });
      expect(await scheduled(lost)).toEqual([at(45 * MINUTE)]);
      clock.ms = T0 + 45 * MINUTE + JOB_SAFETY_NET_GRACE_MS - 1;
      expect(await reminderNotifications(t, auth, lost)).toEqual([]);
      clock.ms = T0 + 45 * MINUTE + JOB_SAFETY_NET_GRACE_MS;
      expect(await reminderNotifications(t, auth, lost)).toHaveLength(1);
      expect((await fire(lost)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, lost)).toHaveLength(1);

      // The late task's due date moved into the future: its reminder gets its job.
      expect((await patch(t, auth, late, { dueAt: at(120 * MINUTE) })).statusCode).toBe(200);
      expect(await scheduled(late)).toEqual([at(105 * MINUTE)]);
      clock.ms = T0 + 105 * MINUTE;
      expect((await fire(late)).statusCode).toBe(200);
      expect(await reminderNotifications(t, auth, late)).toHaveLength(1);
    } finally {
      await t.close();
      sidecar.close();
    }
  });
});
