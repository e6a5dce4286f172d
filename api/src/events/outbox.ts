import type { CloudEvent } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import type { OutboundMessage } from './bus.js';

/** The channel relays listen on for new rows (woken after commit; see `wakeRelaysAfterCommit`). */
export const OUTBOX_CHANNEL = 'todo_outbox';

/**
 * What every write of outbox rows calls after writing them: once its transaction commits, the relay of this
 * process is woken in-process, or, in a process without one, relays elsewhere by one NOTIFY sent after the
 * commit (`CommitSignals`). Nothing is woken if the transaction rolls back, and no write holds NOTIFY's
 * database-wide commit lock.
 */
export function wakeRelaysAfterCommit(q: Queryable): void {
  q.notifyAfterCommit(OUTBOX_CHANNEL);
}

/**
 * One outbox row: a CloudEvent and every topic it is published to, keyed (partitioned) by task id. A task
 * change goes to `task-events` and `task-updates` as the same event, written and delivered once.
 */
export interface OutboxEntry {
  topics: readonly string[];
  key: string;
  event: CloudEvent;
}

/** The bus records of some outbox entries, in order: each event once per topic. */
export function toMessages(entries: readonly OutboxEntry[]): OutboundMessage[] {
  return entries.flatMap(({ topics, key, event }) => topics.map((topic) => ({ topic, key, event })));
}

/**
 * The outbox INSERT for some entries, as SQL text whose parameters are appended to `params`, so another
 * statement can embed it (as a CTE) and write a row and its events in one round trip. With `onlyIf`, a
 * condition in that statement (e.g. that its UPDATE matched), the entries are written only when it holds.
 */
export function outboxInsertSql(entries: readonly OutboxEntry[], params: unknown[], onlyIf?: string): string {
  const values = entries.map((m) => {
    params.push(m.event.id, m.topics, m.key, JSON.stringify(m.event));
    const n = params.length;
    return `($${n - 3}::uuid, $${n - 2}::text[], $${n - 1}, $${n}::json)`;
  });
  const into = 'INSERT INTO outbox (event_id, topics, key, event)';
  return onlyIf
    ? `${into} SELECT * FROM (VALUES ${values.join(', ')}) AS entry WHERE ${onlyIf}`
    : `${into} VALUES ${values.join(', ')}`;
}

/**
 * Writes entries into the outbox inside the caller's transaction: they are published if and only if
 * the change that produced them commits, and the relay is woken once it has.
 */
export async function enqueue(tx: Queryable, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const params: unknown[] = [];
  await tx.query(outboxInsertSql(entries, params), params);
  wakeRelaysAfterCommit(tx);
}
