import { type CloudEvent, isCloudEvent } from '@todo/contract';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';
import type { EventHandler, HandleResult } from './bus.js';

/** Thrown by an effect for an event that can never be processed (bad payload): it is dropped, not retried. */
export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

/** What a consumer does for events it has not seen before, inside the transaction that records them. */
export type EventEffect = (tx: Queryable, events: readonly CloudEvent[]) => Promise<void>;

/** Which events a consumer acts on; the others are acknowledged without a record. */
export type EventFilter = (event: CloudEvent) => boolean;

/** An effect written for one event at a time. */
export function eachEvent(effect: (tx: Queryable, event: CloudEvent) => Promise<void>): EventEffect {
  return async (tx, events) => {
    for (const event of events) await effect(tx, event);
  };
}

export interface ConsumerOptions {
  /** Which events the consumer acts on (default: all). */
  accepts?: EventFilter;
  /**
   * The effect is itself idempotent: it only writes rows whose unique key is the event id, with
   * `ON CONFLICT DO NOTHING`, so a duplicate has no second effect without a `processed_events` row.
   */
  keyedByEventId?: boolean;
}

/**
 * Wraps an effect so each event id has at most one effect per consumer: the id is recorded in
 * `processed_events` in the same transaction as the effect. A duplicate delivery finds the id and
 * does nothing; a concurrent duplicate waits on the primary key and then does nothing. A batch is applied
 * in one transaction; if anything in it fails, each event is retried on its own to isolate the bad one,
 * stopping at the first that must be retried so later events of the same task never overtake it.
 * Events `accepts` turns down have no effect, so there is nothing to deduplicate: they are acknowledged
 * without a `processed_events` row (most task events mean nothing to the recurrence engine). An effect
 * `keyedByEventId` deduplicates through its own rows and needs no `processed_events` row either.
 */
export function idempotentHandler(
  db: Database,
  consumer: string,
  log: Logger,
  effect: EventEffect,
  { accepts = () => true, keyedByEventId = false }: ConsumerOptions = {},
): EventHandler {
  /** Applies the effect to the events not seen before, inside `tx`. */
  const applyOnce = async (tx: Queryable, events: readonly CloudEvent[]): Promise<void> => {
    if (keyedByEventId) return effect(tx, events);
    const { rows } = await tx.query<{ event_id: string }>(
      `INSERT INTO processed_events (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, events.map((e) => e.id)],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    // A batch may hold the same event twice; only its first copy has an effect.
    await effect(
      tx,
      events.filter((event) => fresh.delete(event.id)),
    );
  };

  const one = async (event: unknown): Promise<HandleResult> => {
    if (!isCloudEvent(event)) {
      log.warn({ consumer, event }, 'dropping an event that is not a CloudEvent of ours');
      return 'drop';
    }
    if (!accepts(event)) return 'success';
    try {
      await db.transaction((tx) => applyOnce(tx, [event]));
      return 'success';
    } catch (err) {
      if (err instanceof UnprocessableEventError) {
        log.warn({ consumer, eventId: event.id, reason: err.message }, 'dropping an unprocessable event');
        return 'drop';
      }
      log.warn({ consumer, eventId: event.id, err }, 'event processing failed; will retry');
      return 'retry';
    }
  };

  const batch = async (events: readonly unknown[]): Promise<HandleResult[]> => {
    const valid = events.filter(isCloudEvent);
    if (valid.length === events.length && valid.length > 1) {
      const wanted = valid.filter(accepts);
      if (wanted.length === 0) return valid.map(() => 'success');
      try {
        await db.transaction((tx) => applyOnce(tx, wanted));
        return valid.map(() => 'success');
      } catch {
        // Fall through to one transaction per event.
      }
    }
    const results: HandleResult[] = [];
    for (const event of events) {
      const result = results.includes('retry') ? 'retry' : await one(event);
      results.push(result);
    }
    return results;
  };

  return Object.assign(one, { batch });
}
