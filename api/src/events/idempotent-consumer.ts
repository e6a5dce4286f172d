import { type CloudEvent, isCloudEvent } from '@todo/contract';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';
import type { EventHandler, HandleResult } from './bus.js';
import { CONSUMER_MAX_ATTEMPTS, countConsumerFailure, deadLetterForConsumer } from './dead-letters.js';
import { type FailureKind, failureKind, isContention } from './failure-kind.js';

/** Thrown by an effect for an event that can never be processed (bad payload): set aside, not retried. */
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
   * The effect is itself idempotent and atomic: it writes, in one statement, only rows whose unique key is
   * the event id, with `ON CONFLICT DO NOTHING`, so a duplicate has no second effect without a
   * `processed_events` row, and it runs without BEGIN/COMMIT (two round trips fewer per batch).
   */
  keyedByEventId?: boolean;
  /** Failed attempts (transient failures not counted) before an event is set aside; default 5. */
  maxAttempts?: number;
}

/**
 * Applies `consumer`'s effect, inside `tx`, to the events it has not seen before, recording each in
 * `processed_events` in the same transaction. What `idempotentHandler` does for each delivery, and what a
 * writer does that applies a consumer's effect itself, ahead of the bus (a fired reminder's notification).
 */
export async function applyOnceAs(
  tx: Queryable,
  consumer: string,
  effect: EventEffect,
  events: readonly CloudEvent[],
): Promise<void> {
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
}

/**
 * Wraps an effect so each event id has at most one effect per consumer: the id is recorded in
 * `processed_events` in the same transaction as the effect. A duplicate delivery finds the id and
 * does nothing; a concurrent duplicate waits on the primary key and then does nothing. A batch is applied
 * in one transaction; if anything in it fails, each event is retried on its own to isolate the bad one; once
 * one must be retried, the later events of its task (its `subject`) are answered 'retry' without being
 * tried, so they never overtake it, while other tasks' events are applied (unless the failure was the database or
 * network being unavailable: then the rest waits untried).
 * Events `accepts` turns down have no effect, so there is nothing to deduplicate: they are acknowledged
 * without a `processed_events` row (most task events mean nothing to the recurrence engine). An effect
 * `keyedByEventId` deduplicates through its own rows and needs no `processed_events` row either.
 */
export function idempotentHandler(
  db: Database,
  consumer: string,
  /** The topic the consumer reads: where a replayed dead letter goes back to. */
  topic: string,
  log: Logger,
  effect: EventEffect,
  { accepts = () => true, keyedByEventId = false, maxAttempts = CONSUMER_MAX_ATTEMPTS }: ConsumerOptions = {},
): EventHandler {
  /** Where the effect runs: its own single statement, or a transaction beside its `processed_events` rows. */
  const inUnit = <T>(fn: (q: Queryable) => Promise<T>): Promise<T> =>
    keyedByEventId ? fn(oneStatement(db, consumer)) : db.transaction(fn);

  /** Applies the effect to the events not seen before, inside `tx`. */
  const applyOnce = (tx: Queryable, events: readonly CloudEvent[]): Promise<void> =>
    keyedByEventId ? effect(tx, events) : applyOnceAs(tx, consumer, effect, events);

  /**
   * Decides about a failed event: a transient failure (database down) is retried without counting; bad data
   * is set aside at once; anything else is retried up to `maxAttempts` times, then set aside. Setting aside
   * writes a dead letter and answers 'drop', so later events of the partition are no longer held up.
   */
  const afterFailure = async (event: CloudEvent, err: unknown, kind: FailureKind): Promise<HandleResult> => {
    if (kind === 'transient') {
      log.warn({ consumer, eventId: event.id, err }, 'event processing failed (transient); will retry');
      return 'retry';
    }
    try {
      const attempts = kind === 'permanent' ? 1 : await countConsumerFailure(db, consumer, event, err);
      if (kind === 'unknown' && attempts < maxAttempts) {
        log.warn({ consumer, eventId: event.id, attempts, err }, 'event processing failed; will retry');
        return 'retry';
      }
      await deadLetterForConsumer(db, { consumer, topic, event, attempts, error: err });
      log.error({ consumer, eventId: event.id, attempts, err }, 'event set aside as a dead letter');
      return 'drop';
    } catch (bookkeeping) {
      log.warn({ consumer, eventId: event.id, err, bookkeeping }, 'event processing failed; will retry');
      return 'retry';
    }
  };

  /**
   * One event in its own transaction; `unavailable` when it failed because the database, the network or the
   * sidecar is unavailable, not for contention of its own (a lock, a serialization failure).
   */
  const attempt = async (event: unknown): Promise<{ result: HandleResult; unavailable?: boolean }> => {
    if (!isCloudEvent(event)) {
      log.warn({ consumer, event }, 'dropping an event that is not a CloudEvent of ours');
      return { result: 'drop' };
    }
    if (!accepts(event)) return { result: 'success' };
    try {
      await inUnit((tx) => applyOnce(tx, [event]));
      return { result: 'success' };
    } catch (err) {
      const kind = failureKind(err, (e) => e instanceof UnprocessableEventError);
      return {
        result: await afterFailure(event, err, kind),
        unavailable: kind === 'transient' && !isContention(err),
      };
    }
  };

  const one = async (event: unknown): Promise<HandleResult> => (await attempt(event)).result;

  const batch = async (events: readonly unknown[]): Promise<HandleResult[]> => {
    const valid = events.filter(isCloudEvent);
    if (valid.length === events.length && valid.length > 1) {
      const wanted = valid.filter(accepts);
      if (wanted.length === 0) return valid.map(() => 'success');
      try {
        await inUnit((tx) => applyOnce(tx, wanted));
        return valid.map(() => 'success');
      } catch {
        // Fall through to one transaction per event.
      }
    }
    // A task with an event to retry has its later events retried untried, so they never overtake it; other
    // tasks' events go on. Contention (a serialization failure, a deadlock, a lock not granted) is the event's
    // own, however many events meet it: its task waits and the next task's event is tried. Were it taken for an
    // outage, an event that keeps failing so (a row locked by a stuck transaction) would take every other task's
    // event of its delivery with it into the sidecar's retries and then its dead letters; so would two such
    // events together. A database, network or sidecar that is unavailable fails every event alike: the rest of
    // the batch waits untried.
    const held = new Set<string>();
    let unavailable = false;
    const results: HandleResult[] = [];
    for (const event of events) {
      const key = isCloudEvent(event) ? event.subject : undefined;
      if (unavailable || (key !== undefined && held.has(key))) {
        results.push('retry');
        continue;
      }
      const outcome = await attempt(event);
      if (outcome.unavailable) unavailable = true;
      if (outcome.result === 'retry' && key !== undefined) held.add(key);
      results.push(outcome.result);
    }
    return results;
  };

  return Object.assign(one, { batch });
}

/** The database for an effect that must be one statement: a second statement would not be atomic with the first. */
function oneStatement(db: Database, consumer: string): Queryable {
  let used = false;
  const once = () => {
    if (used) throw new Error(`consumer ${consumer} is keyedByEventId but ran a second statement`);
    used = true;
  };
  return {
    query: (sql, params, options) => {
      once();
      return db.query(sql, params, options);
    },
    exec: (sql) => {
      once();
      return db.exec(sql);
    },
    notifyAfterCommit: (channel) => db.notifyAfterCommit(channel),
  };
}
