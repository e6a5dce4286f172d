import { randomUUID } from 'node:crypto';
import { cloudEvent } from '@todo/contract';
import { deferred } from '@todo/infra/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { EventPublisher, OutboundMessage } from '../../src/events/bus.js';
import { enqueue } from '../../src/events/outbox.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { useTestDatabase } from '../support/test-app.js';

const log = pino({ level: 'silent' });

/** A bus that fails while `failing` is set and otherwise records what it publishes. */
class FailOnDemandPublisher implements EventPublisher {
  failing = false;
  readonly published: OutboundMessage[] = [];
  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.failing) throw new Error('broker unavailable');
    this.published.push(...messages);
  }
  async close(): Promise<void> {}
}

/**
 * A view of the database for one relay in which any statement run outside a transaction (where a relay
 * could record a failure after its claim's commit) keeps its row locks until `release()`: the slowest
 * possible failure record, made deterministic.
 */
function withHeldAutocommitStatements(db: Database) {
  const released = deferred();
  const held = deferred<'held'>();
  const view: Database = Object.create(db);
  view.query = (sql, params, options) =>
    db.transaction(async (tx) => {
      const result = await tx.query(sql, params, options);
      held.resolve('held');
      await released.promise;
      return result as never;
    });
  return { view, held: held.promise, release: released.resolve };
}

describe('outbox relay order across replicas on postgres', () => {
  const db = useTestDatabase('postgres');

  it('never publishes a later event of a task while another relay records the earlier one as failed', async () => {
    const task = randomUUID();
    for (const seq of [0, 1]) {
      await db.transaction((tx) =>
        enqueue(tx, [
          { topics: ['task-events'], key: task, event: cloudEvent('todo.task.updated', task, { seq }) },
        ]),
      );
    }
    const failingBus = new FailOnDemandPublisher();
    failingBus.failing = true;
    const slow = withHeldAutocommitStatements(db);
    // One row per batch: the first relay claims only the earlier event, the later one is left to take.
    const first = new OutboxRelay(slow.view, failingBus, log, { batchSize: 1 });
    const healthyBus = new FailOnDemandPublisher();
    const second = new OutboxRelay(db, healthyBus, log, { batchSize: 1 });

    const firstAttempt = first.relayBatch().then(
      () => 'delivered',
      () => 'failed',
    );
    // Either the failure is recorded inside the claim (settled) or it is being recorded after it (held).
    await Promise.race([slow.held, firstAttempt]);
    // The second relay claims the task while the first one's failure is (or was) being recorded.
    await second.relayBatch();
    slow.release();
    expect(await firstAttempt).toBe('failed');
    while ((await second.relayBatch()) > 0);

    expect(healthyBus.published.map((m) => (m.event.data as { seq: number }).seq)).toEqual([0, 1]);
    const { rows } = await db.query<{ attempts: number }>(
      'SELECT attempts FROM outbox_log WHERE key = $1 ORDER BY id',
      [task],
    );
    expect(rows.map((r) => r.attempts)).toEqual([2, 1]);
  });
});
