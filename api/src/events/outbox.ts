import type { Queryable } from '../db/database.js';
import type { OutboundMessage } from './bus.js';

/** NOTIFY channel that wakes relays when new rows commit. */
export const OUTBOX_CHANNEL = 'todo_outbox';

/** The SQL expression that wakes relays; NOTIFY is transactional, so it is delivered only at commit. */
export const NOTIFY_OUTBOX = `pg_notify('${OUTBOX_CHANNEL}', '')`;

/**
 * The outbox INSERT for some messages, as SQL text whose parameters are appended to `params`, so another
 * statement can embed it (as a CTE) and write a row and its events in one round trip.
 */
export function outboxInsertSql(messages: readonly OutboundMessage[], params: unknown[]): string {
  const values = messages.map((m) => {
    params.push(m.event.id, m.topic, m.key, JSON.stringify(m.event));
    const n = params.length;
    return `($${n - 3}::uuid, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  return `INSERT INTO outbox (event_id, topic, key, event) VALUES ${values.join(', ')}`;
}

/**
 * Writes messages into the outbox inside the caller's transaction: they are published if and only if
 * the change that produced them commits. The NOTIFY is delivered at commit, waking the relay.
 */
export async function enqueue(tx: Queryable, messages: readonly OutboundMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const params: unknown[] = [];
  const insert = outboxInsertSql(messages, params);
  // One round trip: the insert and the NOTIFY in a single statement.
  await tx.query(
    `WITH inserted AS (${insert} RETURNING 1)
     SELECT ${NOTIFY_OUTBOX} FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`,
    params,
  );
}
