import { randomUUID } from 'node:crypto';
import { cloudEvent, createTaskBody } from '@todo/contract';
import { deferred, eventually } from '@todo/infra/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, PostgresDatabase } from '../../src/db/database.js';
import type { EventPublisher, OutboundMessage } from '../../src/events/bus.js';
import { enqueue, OUTBOX_CHANNEL } from '../../src/events/outbox.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { taskChangeRecorder } from '../../src/events/task-change-recorder.js';
import { createNextOccurrence } from '../../src/recurrence/recurrence.consumer.js';
import { REMINDER_CHANNEL } from '../../src/reminders/reminder-schedule.js';
import { type TaskChangeRecorder, TaskService } from '../../src/tasks/task.service.js';
import { TrashService } from '../../src/tasks/trash.service.js';
import { openTestDatabase, STORAGES, useTestDatabase } from '../support/test-app.js';

const log = pino({ level: 'silent' });

/** Records what it is given, after a small random delay so relays interleave. */
class RecordingPublisher implements EventPublisher {
  readonly published: OutboundMessage[] = [];
  failuresLeft = 0;
  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('broker unavailable');
    }
    this.published.push(...messages);
  }
  async close(): Promise<void> {}
}

/**
 * One view of a shared RecordingPublisher per relay. The first publish waits (up to 5 s) until another
 * relay is publishing too, so the test proves relays deliver side by side rather than hoping the scheduler
 * lets a second one in before the first drains the outbox. `waitedInVain` says the wait ran out.
 */
function sideBySide(shared: RecordingPublisher, relays: number) {
  const entered = new Set<number>();
  const waiters: Array<() => void> = [];
  const state = { waitedInVain: false };
  const views: EventPublisher[] = Array.from({ length: relays }, (_, index) => ({
    async publish(messages: readonly OutboundMessage[]): Promise<void> {
      entered.add(index);
      if (entered.size >= 2) for (const wake of waiters.splice(0)) wake();
      else
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(() => {
            state.waitedInVain ||= entered.size < 2;
            wake();
          }, 5_000);
        });
      await shared.publish(messages);
    },
    close: () => shared.close(),
  }));
  return { views, state };
}

async function seed(db: Database, keys: number, perKey: number): Promise<void> {
  const ids = Array.from({ length: keys }, () => randomUUID());
  for (let i = 0; i < perKey; i++) {
    await db.transaction((tx) =>
      enqueue(
        tx,
        ids.map((id) => ({
          topics: ['task-events'],
          key: id,
          event: cloudEvent('todo.task.updated', id, { seq: i }),
        })),
      ),
    );
  }
}

function assertOncePerEventInKeyOrder(published: OutboundMessage[], expected: number): void {
  expect(published).toHaveLength(expected);
  expect(new Set(published.map((m) => m.event.id)).size).toBe(expected);
  const lastSeq = new Map<string, number>();
  for (const m of published) {
    const seq = (m.event.data as { seq: number }).seq;
    expect(seq).toBe((lastSeq.get(m.key) ?? -1) + 1);
    lastSeq.set(m.key, seq);
  }
}

describe('outbox relays on postgres', () => {
  const db = useTestDatabase('postgres');

  it('three concurrent relays publish each event once and keep per-task order', async () => {
    await seed(db, 40, 25);
    const publisher = new RecordingPublisher();
    const { views, state } = sideBySide(publisher, 3);
    const relays = views.map((view) => new OutboxRelay(db, view, log, { batchSize: 37, pollIntervalMs: 20 }));
    await Promise.all(relays.map((r) => r.start()));
    await eventually('1000 events published', () => publisher.published.length >= 1000, 20_000);
    await Promise.all(relays.map((r) => r.stop()));
    assertOncePerEventInKeyOrder(publisher.published, 1000);
    expect(state.waitedInVain, 'a second relay found no work while the first was publishing').toBe(false);
    expect(relays.filter((r) => r.delivered > 0).length).toBeGreaterThan(1);
  });
});

describe.each(STORAGES)('outbox relay backoff on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('keeps rows while the bus fails and delivers them, in order, once it is back', async () => {
    await seed(db, 5, 10);
    const publisher = new RecordingPublisher();
    publisher.failuresLeft = 3;
    const relay = new OutboxRelay(db, publisher, log, {
      minBackoffMs: 10,
      maxBackoffMs: 50,
      pollIntervalMs: 20,
    });
    await relay.start();
    await eventually('50 events published', () => publisher.published.length === 50, 10_000);
    await relay.stop();
    assertOncePerEventInKeyOrder(publisher.published, 50);
    const { rows } = await db.query<{ n: number; failed: number }>(
      `SELECT (SELECT count(*)::int FROM outbox) AS n,
              (SELECT count(*)::int FROM outbox_log WHERE attempts > 1) AS failed`,
    );
    expect(rows[0]).toMatchObject({ n: 0 });
    expect(rows[0]!.failed).toBeGreaterThan(0);
  });
});

describe.each(STORAGES)('outbox relay wake-ups on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('goes again at once for rows committed while it was publishing, without waiting for its poll', async () => {
    await seed(db, 1, 1);
    const firstPublishStarted = deferred();
    const released = deferred();
    const published: OutboundMessage[] = [];
    let calls = 0;
    const publisher: EventPublisher = {
      async publish(messages) {
        if (calls++ === 0) {
          firstPublishStarted.resolve();
          await released.promise;
        }
        published.push(...messages);
      },
      close: async () => undefined,
    };
    // A poll that never comes within the test: only the wake-up can deliver the second row.
    const relay = new OutboxRelay(db, publisher, log, { pollIntervalMs: 3_600_000 });
    await relay.start();
    await firstPublishStarted.promise;
    await seed(db, 1, 1);
    relay.wake();
    released.resolve();
    await eventually('the row written mid-publish delivered', () => published.length === 2, 10_000);
    await relay.stop();
  });
});

describe('task writes and their relay on postgres', () => {
  let db: PostgresDatabase;
  beforeAll(async () => {
    db = (await openTestDatabase('postgres')) as PostgresDatabase;
  });
  afterAll(() => db.close());

  /**
   * A relay that only a wake-up can start (its poll is an hour away), a change recorder with the database's
   * reminder schedule, a user, and a LISTEN client of its own on both wake-up channels: what NOTIFYs are sent.
   */
  async function withRelay(
    test: (s: {
      published: OutboundMessage[];
      recorder: TaskChangeRecorder;
      tasks: TaskService;
      trash: TrashService;
      userId: string;
      relay: OutboxRelay;
      notifies: () => Promise<string[]>;
    }) => Promise<void>,
  ) {
    const published: OutboundMessage[] = [];
    const publisher: EventPublisher = {
      publish: async (messages) => {
        published.push(...messages);
      },
      close: async () => undefined,
    };
    const relay = new OutboxRelay(db, publisher, log, { pollIntervalMs: 3_600_000 });
    await relay.start();
    await relay.whenIdle();
    const heard: string[] = [];
    const listener = await db.pool.connect();
    listener.on('notification', (msg) => heard.push(`${msg.channel}:${msg.payload ?? ''}`));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}; LISTEN ${REMINDER_CHANNEL}`);
    // NOTIFYs arrive in commit order: once our own marker is heard, any NOTIFY of the writes before it was.
    const notifies = async () => {
      await db.query('SELECT pg_notify($1, $2)', [REMINDER_CHANNEL, 'marker']);
      await eventually('the marker heard', () => heard.includes(`${REMINDER_CHANNEL}:marker`), 10_000);
      return heard.splice(0).filter((n) => n !== `${REMINDER_CHANNEL}:marker`);
    };
    const recorder = taskChangeRecorder({ topicPrefix: undefined, scheduleRemindersInDatabase: true });
    const userId = `u-${randomUUID()}`;
    await db.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $1 || '@example.com', 'x')`, [
      userId,
    ]);
    try {
      await test({
        published,
        recorder,
        tasks: new TaskService(db, recorder),
        trash: new TrashService(db, recorder),
        userId,
        relay,
        notifies,
      });
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
      await relay.stop();
    }
  }
  const typesOf = (published: OutboundMessage[], key: string) => [
    ...new Set(published.filter((m) => m.key === key).map((m) => m.event.type)),
  ];

  it('wake the relay of their own process once committed and send no NOTIFY (its commit lock serialised every write)', async () => {
    await withRelay(async ({ published, tasks, trash, userId, notifies }) => {
      // This process's reminder poller, as the relay: woken in-process when the due-queue changes.
      let pollerWakes = 0;
      const unlisten = await db.listen(REMINDER_CHANNEL, () => pollerWakes++);
      const task = await tasks.create(userId, createTaskBody.parse({ title: 'Renew passport' }));
      await tasks.complete(userId, task.id);
      await tasks.update(userId, task.id, { title: 'Renew passport (both)' });
      await trash.trash(userId, task.id);
      // With a reminder on the database backend: a transaction, the outbox and the due-queue.
      const reminded = await tasks.create(
        userId,
        createTaskBody.parse({
          title: 'Call the embassy',
          reminders: [{ remindAt: '2031-01-01T09:00:00Z' }],
        }),
      );
      await tasks.update(userId, reminded.id, { reminders: [{ remindAt: '2031-01-02T09:00:00Z' }] });
      await trash.trash(userId, reminded.id);
      await eventually('every event published', () => typesOf(published, reminded.id).length === 3, 10_000);
      expect(typesOf(published, task.id)).toEqual([
        'todo.task.created',
        'todo.task.completed',
        'todo.task.updated',
        'todo.task.deleted',
      ]);
      expect(typesOf(published, reminded.id)).toEqual([
        'todo.task.created',
        'todo.task.updated',
        'todo.task.deleted',
      ]);
      expect(pollerWakes).toBe(2);
      expect(await notifies()).toEqual([]);
      await unlisten();
    });
  });

  it('wake it for a recurrence successor a consumer writes, without NOTIFY', async () => {
    await withRelay(async ({ published, recorder, tasks, userId, notifies }) => {
      const task = await tasks.create(
        userId,
        createTaskBody.parse({
          title: 'Water the plants',
          dueAt: '2031-01-01T09:00:00Z',
          recurrence: { rule: 'FREQ=DAILY' },
        }),
      );
      await tasks.complete(userId, task.id);
      const completed = () =>
        published.find((m) => m.key === task.id && m.event.type === 'todo.task.completed')?.event;
      await eventually('the completion published', () => completed() !== undefined, 10_000);
      await db.transaction((tx) => createNextOccurrence(recorder)(tx, completed()!));
      const successor = () =>
        published.find((m) => m.key !== task.id && m.event.type === 'todo.task.created')?.event;
      await eventually('the successor published', () => successor() !== undefined, 10_000);
      expect(successor()!.data).toMatchObject({ seriesId: task.id, dueAt: '2031-01-02T09:00:00.000Z' });
      expect(await notifies()).toEqual([]);
    });
  });

  it('wake nothing when their transaction rolls back', async () => {
    await withRelay(async ({ published, relay, notifies }) => {
      let wakes = 0;
      const unlisten = await db.listen(OUTBOX_CHANNEL, () => wakes++);
      const entry = (key: string) => ({
        topics: ['t'],
        key,
        event: cloudEvent('test.rolled-back', key, {}),
      });
      await expect(
        db.transaction(async (tx) => {
          await enqueue(tx, [entry('rolled-back')]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(wakes).toBe(0);
      await db.transaction((tx) => enqueue(tx, [entry('committed')]));
      expect(wakes).toBe(1);
      await eventually('the committed event published', () => published.some((m) => m.key === 'committed'));
      await relay.whenIdle();
      expect(published.map((m) => m.key)).toEqual(['committed']);
      expect(await notifies()).toEqual([]);
      await unlisten();
    });
  });

  it('wake the relays of other processes with one NOTIFY after the commit when their own has none', async () => {
    await withRelay(async ({ published, recorder, userId, notifies }) => {
      // Another process (a replica without a relay, the benchmark's writer): its own Database.
      const elsewhere = new PostgresDatabase(db.pool.options.connectionString!, { poolSize: 2 });
      try {
        const tasks = new TaskService(elsewhere, recorder);
        const written = await Promise.all(
          ['one', 'two', 'three'].map((title) => tasks.create(userId, createTaskBody.parse({ title }))),
        );
        await eventually(
          'every event published by the relay of the other process',
          () => written.every((t) => typesOf(published, t.id).length === 1),
          10_000,
        );
        const heard = await notifies();
        expect(heard.length).toBeGreaterThanOrEqual(1);
        expect(heard.length).toBeLessThanOrEqual(3);
        expect(new Set(heard)).toEqual(new Set([`${OUTBOX_CHANNEL}:`]));
      } finally {
        await elsewhere.close();
      }
    });
  });
});

describe.each(STORAGES)('waking after commit on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('wakes the listeners of this process once per committed transaction, and none for one rolled back', async () => {
    const heard: string[] = [];
    const unlisten = await db.listen('todo_test_wake', (payload) => heard.push(payload));
    await expect(
      db.transaction(async (tx) => {
        tx.notifyAfterCommit('todo_test_wake');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toEqual([]);
    await db.transaction(async (tx) => {
      tx.notifyAfterCommit('todo_test_wake');
      tx.notifyAfterCommit('todo_test_wake');
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual(['']);
    db.notifyAfterCommit('todo_test_wake');
    expect(heard).toEqual(['', '']);
    await unlisten();
  });
});
