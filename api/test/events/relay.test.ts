import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { EventPublisher, OutboundMessage } from '../../src/events/bus.js';
import { enqueue, OUTBOX_CHANNEL } from '../../src/events/outbox.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { taskChangeRecorder } from '../../src/events/task-change-recorder.js';
import { TaskService } from '../../src/tasks/task.service.js';
import { STORAGES, useTestDatabase } from '../support/test-app.js';

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
    let release!: () => void;
    let publishing!: () => void;
    const firstPublishStarted = new Promise<void>((r) => {
      publishing = r;
    });
    const published: OutboundMessage[] = [];
    let calls = 0;
    const publisher: EventPublisher = {
      async publish(messages) {
        if (calls++ === 0) {
          publishing();
          await new Promise<void>((r) => {
            release = r;
          });
        }
        published.push(...messages);
      },
      close: async () => undefined,
    };
    // A poll that never comes within the test: only the wake-up can deliver the second row.
    const relay = new OutboxRelay(db, publisher, log, { pollIntervalMs: 3_600_000 });
    await relay.start();
    await firstPublishStarted;
    await seed(db, 1, 1);
    relay.wake();
    release();
    await eventually('the row written mid-publish delivered', () => published.length === 2, 10_000);
    await relay.stop();
  });
});

describe('task writes and their relay on postgres', () => {
  const db = useTestDatabase('postgres');

  it('wake the relay of their own process once committed and send no NOTIFY (its commit lock serialised every write)', async () => {
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
    const unlisten = await db.listen(OUTBOX_CHANNEL, (payload) => heard.push(payload));
    const recorder = taskChangeRecorder({ topicPrefix: undefined, scheduleRemindersInDatabase: true });
    const tasks = new TaskService(db, recorder, () => relay.wake());
    const userId = `u-${randomUUID()}`;
    await db.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $1 || '@example.com', 'x')`, [
      userId,
    ]);

    const task = await tasks.create(userId, {
      title: 'Renew passport',
      description: '',
      priority: 'none',
      tags: [],
      dueAt: null,
      timeZone: 'UTC',
      reminders: [],
      recurrence: null,
    });
    await tasks.complete(userId, task.id);
    await tasks.update(userId, task.id, { title: 'Renew passport (both)' });
    const types = () => published.filter((m) => m.key === task.id).map((m) => m.event.type);
    await eventually('the three events published', () => types().length >= 6, 10_000);
    expect([...new Set(types())]).toEqual(['todo.task.created', 'todo.task.completed', 'todo.task.updated']);

    // Notifications arrive in commit order: once our own marker is heard, any NOTIFY of the writes would have been.
    await db.query(`SELECT pg_notify($1, 'marker')`, [OUTBOX_CHANNEL]);
    await eventually('the marker heard', () => heard.includes('marker'), 10_000);
    expect(heard).toEqual(['marker']);
    await unlisten();
    await relay.stop();
  });
});
