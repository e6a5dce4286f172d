import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { EventPublisher, OutboundMessage } from '../../src/events/bus.js';
import { listDeadLetters, replayDeadLetters } from '../../src/events/dead-letters.js';
import { enqueue } from '../../src/events/outbox.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { RejectedEventsError } from '../../src/events/rejected-events.js';
import { STORAGES, useTestDatabase } from '../support/test-app.js';

const log = pino({ level: 'silent' });

/** A bus that refuses the events of `poisoned` (RejectedEventsError) or is down altogether (`down`). */
class PickyPublisher implements EventPublisher {
  readonly poisoned = new Set<string>();
  down = false;
  readonly published: OutboundMessage[] = [];
  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.down) throw new Error('broker unavailable');
    const refused = messages.filter((m) => this.poisoned.has(m.event.id)).map((m) => m.event.id);
    if (refused.length > 0) throw new RejectedEventsError('refused by the bus', refused);
    this.published.push(...messages);
  }
  async close(): Promise<void> {}
}

async function seedTask(db: Database, count: number) {
  const task = randomUUID();
  const events = Array.from({ length: count }, (_, seq) => cloudEvent('todo.task.updated', task, { seq }));
  for (const event of events)
    await db.transaction((tx) => enqueue(tx, [{ topics: ['task-events'], key: task, event }]));
  return events;
}

/** Runs relay rounds until the outbox is empty or `rounds` ran; failures are the relay's business. */
async function relayRounds(relay: OutboxRelay, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await relay.relayBatch().catch(() => 0);
}

describe.each(STORAGES)('poison events in the outbox on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('sets an event the bus refuses aside after its last attempt, and the task goes on', async () => {
    const [poison, next] = await seedTask(db, 2);
    const bus = new PickyPublisher();
    bus.poisoned.add(poison!.id);
    const relay = new OutboxRelay(db, bus, log, { maxAttempts: 3 });
    await relayRounds(relay, 4);

    expect(bus.published.map((m) => m.event.id)).toEqual([next!.id]);
    const dead = (await listDeadLetters(db)).filter((d) => d.eventId === poison!.id);
    expect(dead).toMatchObject([{ queue: 'outbox', attempts: 3, error: 'refused by the bus' }]);

    bus.poisoned.clear();
    expect(await replayDeadLetters(db, [poison!.id])).toBe(1);
    await relayRounds(relay, 1);
    expect(bus.published.map((m) => m.event.id)).toEqual([next!.id, poison!.id]);
  });

  it('keeps every event while the bus is down, however many attempts it takes', async () => {
    const events = await seedTask(db, 2);
    const bus = new PickyPublisher();
    bus.down = true;
    const relay = new OutboxRelay(db, bus, log, { maxAttempts: 2 });
    await relayRounds(relay, 5);
    const { rows } = await db.query<{ attempts: number }>(
      'SELECT attempts FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY id',
      [events.map((e) => e.id)],
    );
    expect(rows.map((r) => r.attempts)).toEqual([5, 5]);
    bus.down = false;
    await relayRounds(relay, 1);
    expect(bus.published.map((m) => (m.event.data as { seq: number }).seq)).toEqual([0, 1]);
  });
});
