import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';
import type { EventHandler, HandleResult } from './bus.js';
import type { CloudEvent } from './cloudevent.js';
import { isCloudEvent } from './task-events.js';

/** Thrown by an effect for an event that can never be processed (bad payload): it is dropped, not retried. */
export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

export type EventEffect = (tx: Queryable, event: CloudEvent) => Promise<void>;

/**
 * Wraps an effect so each event id has at most one effect per consumer: the id is recorded in
 * `processed_events` in the same transaction as the effect. A duplicate delivery finds the id and
 * does nothing; a concurrent duplicate waits on the primary key and then does nothing.
 */
export function idempotentHandler(
  db: Database,
  consumer: string,
  log: Logger,
  effect: EventEffect,
): EventHandler {
  return async (event: unknown): Promise<HandleResult> => {
    if (!isCloudEvent(event)) {
      log.warn({ consumer, event }, 'dropping an event that is not a CloudEvent of ours');
      return 'drop';
    }
    try {
      await db.transaction(async (tx) => {
        const claimed = await tx.query(
          'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [consumer, event.id],
        );
        if (claimed.rowCount === 0) return;
        await effect(tx, event);
      });
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
}
