import type { CloudEvent } from '@todo/contract';
import { Gauge, type Registry } from 'prom-client';
import type { Database, Queryable } from '../db/database.js';
import { wakeRelaysAfterCommit } from './outbox.js';

/** Failed attempts of one consumer on one event (not counting transient failures) before it is set aside. */
export const CONSUMER_MAX_ATTEMPTS = 5;

/** Failed publishes of an event the bus itself refused, before the relay sets it aside. */
export const OUTBOX_MAX_ATTEMPTS = 5;

/** An error's text as stored beside a dead letter: bounded, never a stack. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

/** Counts one more failed attempt of `consumer` on `event` (outside the failed transaction); returns the count. */
export async function countConsumerFailure(
  db: Queryable,
  consumer: string,
  event: CloudEvent,
  err: unknown,
): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>(
    `INSERT INTO consumer_failures AS f (consumer, event_id, attempts, last_error) VALUES ($1, $2, 1, $3)
     ON CONFLICT (consumer, event_id) DO UPDATE
       SET attempts = f.attempts + 1, last_error = EXCLUDED.last_error, failed_at = now()
     RETURNING attempts`,
    [consumer, event.id, errorText(err)],
  );
  return rows[0]!.attempts;
}

/** Sets an event aside for one consumer: it is acknowledged, and stays replayable from `consumer_dead`. */
export async function deadLetterForConsumer(
  db: Queryable,
  dead: { consumer: string; topic: string; event: CloudEvent; attempts: number; error: unknown },
): Promise<void> {
  await db.query(
    `WITH cleared AS (DELETE FROM consumer_failures WHERE consumer = $1 AND event_id = $2)
     INSERT INTO consumer_dead AS d (consumer, event_id, topic, key, event, attempts, error)
     VALUES ($1, $2, $3, $4, $5::json, $6, $7)
     ON CONFLICT (consumer, event_id) DO UPDATE
       SET attempts = d.attempts + EXCLUDED.attempts, error = EXCLUDED.error, dead_at = now()`,
    [
      dead.consumer,
      dead.event.id,
      dead.topic,
      dead.event.subject,
      JSON.stringify(dead.event),
      dead.attempts,
      errorText(dead.error),
    ],
  );
}

/** One dead letter as the replay command lists it. */
export interface DeadLetter {
  queue: 'outbox' | 'consumer';
  /** `outbox` for the relay, else the consumer's name. */
  consumer: string;
  eventId: string;
  type: string;
  key: string;
  attempts: number;
  error: string | null;
  deadAt: Date;
}

/** Every dead letter, oldest first. */
export async function listDeadLetters(db: Queryable): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetter>(
    `SELECT 'outbox' AS queue, 'outbox' AS consumer, event_id AS "eventId", event->>'type' AS type, key,
            attempts, last_error AS error, dead_at AS "deadAt" FROM outbox_dead
     UNION ALL
     SELECT 'consumer', consumer, event_id, event->>'type', key, attempts, error, dead_at FROM consumer_dead
     ORDER BY "deadAt"`,
  );
  return rows;
}

/**
 * Puts dead letters back on the way (all of them, or those of the given event ids), in one transaction: an
 * event the relay set aside goes back into the outbox as it was; an event a consumer set aside is written to
 * the outbox again for its topic, with its own id, so the consumers that did apply it skip it as a duplicate.
 * A replayed event is delivered after the events of its task written meanwhile. Returns how many it replayed.
 */
export async function replayDeadLetters(db: Database, eventIds?: readonly string[]): Promise<number> {
  const filter = eventIds ? 'WHERE event_id = ANY($1::uuid[])' : 'WHERE $1::uuid[] IS NULL';
  return db.transaction(async (tx) => {
    const fromOutbox = await tx.query(
      `WITH back AS (DELETE FROM outbox_dead ${filter} RETURNING event_id, topics, key, event, created_at)
       INSERT INTO outbox (event_id, topics, key, event, created_at)
       SELECT event_id, topics, key, event, created_at FROM back ORDER BY created_at`,
      [eventIds ?? null],
    );
    const fromConsumers = await tx.query(
      `WITH back AS (DELETE FROM consumer_dead ${filter} RETURNING event_id, topic, key, event, dead_at),
            once AS (SELECT event_id, array_agg(DISTINCT topic) AS topics, min(key) AS key,
                            (array_agg(event::text))[1]::json AS event, min(dead_at) AS dead_at
                     FROM back GROUP BY event_id)
       INSERT INTO outbox (event_id, topics, key, event) SELECT event_id, topics, key, event FROM once
       ORDER BY dead_at`,
      [eventIds ?? null],
    );
    const replayed = fromOutbox.rowCount + fromConsumers.rowCount;
    if (replayed > 0) wakeRelaysAfterCommit(tx);
    return replayed;
  });
}

/** `event_dead_letters{queue, consumer}`: events set aside and waiting for a replay, counted at scrape time. */
export function registerDeadLetterMetrics(db: Database, registry: Registry): void {
  new Gauge({
    name: 'event_dead_letters',
    help: 'Events set aside after their last attempt (queue="outbox": the bus refused them; queue="consumer": a consumer could not apply them)',
    labelNames: ['queue', 'consumer'],
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ queue: string; consumer: string; n: number }>(
        `SELECT 'outbox' AS queue, 'outbox' AS consumer, count(*)::int AS n FROM outbox_dead
         UNION ALL SELECT 'consumer', consumer, count(*)::int FROM consumer_dead GROUP BY consumer`,
      );
      this.reset();
      for (const r of rows) this.set({ queue: r.queue, consumer: r.consumer }, r.n);
    },
  });
}
