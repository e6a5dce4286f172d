import { randomUUID } from 'node:crypto';
import { type CloudEvent, cloudEvent } from '@todo/contract';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { deadLetterCommand } from '../../src/events/dead-letters.cli.js';
import { listDeadLetters, replayDeadLetters } from '../../src/events/dead-letters.js';
import { eachEvent, idempotentHandler } from '../../src/events/idempotent-consumer.js';
import { deliverInBulk } from '../support/dapr-bulk.js';
import { createTask } from '../support/task-requests.js';
import { useTestApp, useTestDatabase } from '../support/test-app.js';

const log = pino({ level: 'silent' });
const TOKEN = 'sidecar-secret';

/** A view of the database whose transactions fail with `err` while `failing` is set. */
function failingTransactions(db: Database, err: Error) {
  const state = { failing: true, calls: 0 };
  const view: Database = Object.create(db);
  view.transaction = (fn) => {
    state.calls++;
    return state.failing ? Promise.reject(err) : db.transaction(fn);
  };
  return { view, state };
}

describe('a consumer on postgres tells transient failures from bad events', () => {
  const db = useTestDatabase('postgres');
  const event = () => cloudEvent('todo.task.updated', randomUUID(), { n: 1 });
  const effect = async () => undefined;

  it('retries while the database is down, without counting or setting the event aside', async () => {
    const down = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const { view } = failingTransactions(db, down);
    const handle = idempotentHandler(view, 'c-down', 'task-events', log, effect, { maxAttempts: 2 });
    const e = event();
    for (let i = 0; i < 5; i++) expect(await handle(e)).toBe('retry');
    const { rows } = await db.query('SELECT 1 FROM consumer_failures WHERE event_id = $1', [e.id]);
    expect(rows).toEqual([]);
    expect((await listDeadLetters(db)).filter((d) => d.eventId === e.id)).toEqual([]);
  });

  it('sets an event aside after its last attempt when the failure is not known to pass', async () => {
    const { view } = failingTransactions(db, new Error('a bug in the effect'));
    const handle = idempotentHandler(view, 'c-bug', 'task-events', log, effect, { maxAttempts: 3 });
    const e = event();
    expect([await handle(e), await handle(e), await handle(e)]).toEqual(['retry', 'retry', 'drop']);
    const dead = (await listDeadLetters(db)).filter((d) => d.eventId === e.id);
    expect(dead).toMatchObject([
      { queue: 'consumer', consumer: 'c-bug', attempts: 3, error: 'a bug in the effect' },
    ]);
  });
});

describe('a batch holding an event to retry', () => {
  const db = useTestDatabase('postgres');

  /** A consumer whose effect fails with `err` for the chosen events; what it applied is in processed_events. */
  const consumerFailing = (name: string, failing: readonly CloudEvent[], err: Error) => {
    const tried: string[] = [];
    const effect = eachEvent(async (_tx, event) => {
      tried.push(event.id);
      if (failing.some((f) => f.id === event.id)) throw err;
    });
    const handle = idempotentHandler(db, name, 'task-events', log, effect);
    const applied = async () =>
      (
        await db.query<{ event_id: string }>('SELECT event_id FROM processed_events WHERE consumer = $1', [
          name,
        ])
      ).rows.map((r) => r.event_id);
    return { handle, applied, tried };
  };
  const [taskX, taskY, taskZ] = [randomUUID(), randomUUID(), randomUUID()];
  const batchOf = () => [
    cloudEvent('todo.task.created', taskX, { n: 1 }),
    cloudEvent('todo.task.updated', taskX, { n: 2 }),
    cloudEvent('todo.task.updated', taskX, { n: 3 }),
    cloudEvent('todo.task.created', taskY, { n: 1 }),
    cloudEvent('todo.task.created', taskZ, { n: 1 }),
  ];
  const busy = () => Object.assign(new Error('could not serialize access'), { code: '40001' });

  it("retries the later events of that event's task without trying them, and applies other tasks' events", async () => {
    const events = batchOf();
    const { handle, applied } = consumerFailing('c-held', [events[1]!], new Error('a bug in the effect'));
    expect(await handle.batch!(events)).toEqual(['success', 'retry', 'retry', 'success', 'success']);
    expect((await applied()).sort()).toEqual([events[0]!.id, events[3]!.id, events[4]!.id].sort());
  });

  it("holds only its task when one event fails transiently on its own, so other tasks' events are not kept waiting with it", async () => {
    const events = batchOf();
    const { handle, applied } = consumerFailing('c-own-lock', [events[1]!], busy());
    expect(await handle.batch!(events)).toEqual(['success', 'retry', 'retry', 'success', 'success']);
    expect((await applied()).sort()).toEqual([events[0]!.id, events[3]!.id, events[4]!.id].sort());
  });

  it("holds only their tasks when two tasks' events fail with contention of their own, and applies the third task's", async () => {
    const events = batchOf();
    const { handle, applied, tried } = consumerFailing('c-two-locks', [events[1]!, events[3]!], busy());
    expect(await handle.batch!(events)).toEqual(['success', 'retry', 'retry', 'retry', 'success']);
    expect((await applied()).sort()).toEqual([events[0]!.id, events[4]!.id].sort());
    expect(tried).toContain(events[4]!.id);
  });

  it('retries every later event untried once one fails because the database is unavailable', async () => {
    const events = batchOf();
    const down = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    const { handle, applied, tried } = consumerFailing('c-unavailable', [events[1]!], down);
    expect(await handle.batch!(events)).toEqual(['success', 'retry', 'retry', 'retry', 'retry']);
    expect(await applied()).toEqual([events[0]!.id]);
    // The other tasks' events were not tried: with the database down they could only have failed.
    expect(tried).not.toContain(events[3]!.id);
    expect(tried).not.toContain(events[4]!.id);
  });
});

describe('poison events on Dapr', () => {
  const t = useTestApp('postgres', { env: { EVENT_BUS: 'memory', APP_API_TOKEN: TOKEN }, user: false });

  const deliver = async (route: string, event: unknown) => (await deliverInBulk(t.server, route, [event]))[0];

  const reminderDue = (data: Record<string, unknown>): CloudEvent =>
    cloudEvent('todo.reminder.due', String(data.taskId), data);

  it('answers DROP at once for a malformed reminder, keeps it as a dead letter, and the next reminder goes through', async () => {
    const { id: userId, auth } = await t.user();
    const malformed = reminderDue({ userId, taskId: 'not-a-uuid', reminderId: randomUUID(), title: 'x' });
    expect(await deliver('/events/reminders', malformed)).toBe('DROP');

    // A reminder notifies only a user who can read its task: a real one.
    const task = await createTask(t, auth, { title: 'Next one' });
    const next = reminderDue({ userId, taskId: task.id, reminderId: randomUUID(), title: 'Next one' });
    expect(await deliver('/events/reminders', next)).toBe('SUCCESS');
    const notifications = await t.server.inject({ url: '/api/v1/notifications', headers: auth });
    expect(notifications.json().items.map((n: { title: string }) => n.title)).toEqual(['Next one']);

    const dead = (await listDeadLetters(t.db)).filter((d) => d.eventId === malformed.id);
    expect(dead).toMatchObject([
      { queue: 'consumer', consumer: 'notifications', type: 'todo.reminder.due', attempts: 1 },
    ]);
    const metrics = await t.server.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/event_dead_letters\{queue="consumer",consumer="notifications"\} 1/);
  });

  it("answers RETRY only for a bulk's poisons failing with contention of their own, and SUCCESS for the other task's reminders behind them", async () => {
    const { id: userId, auth } = await t.user();
    // Two poisons: their notifications' inserts fail with a serialization failure (40001) for ever.
    await t.db.exec(`
      CREATE FUNCTION poison_notification() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.title LIKE 'poison %' THEN
          RAISE EXCEPTION 'injected fault on %', NEW.title USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER poison_notification BEFORE INSERT ON notifications
        FOR EACH ROW EXECUTE FUNCTION poison_notification();`);
    try {
      const reminderOf = async (title: string) => {
        const task = await createTask(t, auth, { title });
        return reminderDue({ userId, taskId: task.id, reminderId: randomUUID(), title });
      };
      const poisons = [await reminderOf('poison one'), await reminderOf('poison two')];
      const task = await createTask(t, auth, { title: 'Reminded' });
      const reminders = ['first', 'second', 'third'].map((title) =>
        reminderDue({ userId, taskId: task.id, reminderId: randomUUID(), title }),
      );
      expect(await deliverInBulk(t.server, '/events/reminders', [...poisons, ...reminders])).toEqual([
        'RETRY',
        'RETRY',
        'SUCCESS',
        'SUCCESS',
        'SUCCESS',
      ]);
      const notifications = await t.server.inject({ url: '/api/v1/notifications', headers: auth });
      expect(
        notifications
          .json()
          .items.map((n: { title: string }) => n.title)
          .sort(),
      ).toEqual(['first', 'second', 'third']);
      // A transient failure is not counted toward the poison's last attempt: the sidecar's retries decide.
      const { rows } = await t.db.query('SELECT 1 FROM consumer_failures WHERE event_id = ANY($1::uuid[])', [
        poisons.map((p) => p.id),
      ]);
      expect(rows).toEqual([]);
    } finally {
      await t.db.exec(
        'DROP TRIGGER poison_notification ON notifications; DROP FUNCTION poison_notification()',
      );
    }
  });

  it('lists and replays dead letters from the operator command', async () => {
    const { id: userId } = await t.user();
    const malformed = reminderDue({ userId, taskId: 'not-a-uuid-either', reminderId: randomUUID() });
    await deliver('/events/reminders', malformed);
    const lines: string[] = [];
    expect(await deadLetterCommand(t.db, ['list'], (l) => lines.push(l))).toBe(0);
    expect(lines.map((l) => JSON.parse(l).eventId)).toContain(malformed.id);

    expect(await deadLetterCommand(t.db, ['replay', 'nonsense'], (l) => lines.push(l))).toBe(2);
    expect(await deadLetterCommand(t.db, ['replay', malformed.id], (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe('replayed 1 dead letter(s)');
    // Replayed, it is still malformed: the consumer sets it aside again once the relay delivers it.
    await t.events.drained();
    const again = (await listDeadLetters(t.db)).filter((d) => d.eventId === malformed.id);
    expect(again).toMatchObject([{ consumer: 'notifications', attempts: 1 }]);
  });

  it('replays a dead letter into the outbox for its topic, with its own id', async () => {
    const { id: userId } = await t.user();
    const malformed = reminderDue({ userId, taskId: 'still-not-a-uuid', reminderId: randomUUID() });
    await deliver('/events/reminders', malformed);
    await t.events.relay.stop();
    try {
      expect(await replayDeadLetters(t.db, [malformed.id])).toBe(1);
      const { rows } = await t.db.query<{ topics: string[]; event: CloudEvent }>(
        'SELECT topics, event FROM outbox WHERE event_id = $1',
        [malformed.id],
      );
      expect(rows).toMatchObject([{ topics: ['reminders'], event: { id: malformed.id } }]);
      expect((await listDeadLetters(t.db)).filter((d) => d.eventId === malformed.id)).toEqual([]);
    } finally {
      await t.db.query('DELETE FROM outbox WHERE event_id = $1', [malformed.id]);
      await t.events.relay.start();
    }
  });
});
