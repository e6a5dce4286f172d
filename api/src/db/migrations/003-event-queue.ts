/**
 * Less database work per event. The outbox becomes a queue of pending events, one row per event with every
 * topic it goes to; a relay moves what it delivered into `outbox_delivered`, kept for the retention period.
 * Per task change that is one outbox row instead of two, two index entries instead of four, and a delivery
 * that appends to a table with one block-range index instead of rewriting the row with three new index
 * entries. Events are stored as `json` (kept as written, never queried inside by the relay: cheaper to write
 * and to read back than `jsonb`). The audit trail records when each entry was written (`recorded_at`): it is
 * deduplicated by its unique event id and no longer writes a `processed_events` row.
 */
export const sql = /* sql */ `
CREATE TABLE outbox_delivered (
  id bigint NOT NULL,
  event_id uuid NOT NULL,
  topics text[] NOT NULL,
  key text NOT NULL,
  event json NOT NULL,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz NOT NULL,
  attempts integer NOT NULL
);
CREATE INDEX outbox_delivered_at_idx ON outbox_delivered USING brin (delivered_at);

INSERT INTO outbox_delivered (id, event_id, topics, key, event, created_at, delivered_at, attempts)
  SELECT id, event_id, ARRAY[topic], key, event::json, created_at, delivered_at, attempts
  FROM outbox WHERE delivered_at IS NOT NULL;
DELETE FROM outbox WHERE delivered_at IS NOT NULL;

ALTER TABLE outbox ADD COLUMN topics text[];
UPDATE outbox SET topics = ARRAY[topic];
ALTER TABLE outbox ALTER COLUMN topics SET NOT NULL;
ALTER TABLE outbox ALTER COLUMN event TYPE json USING event::json;
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
DROP INDEX outbox_pending_idx;
DROP INDEX outbox_pending_key_idx;
ALTER TABLE outbox DROP COLUMN topic, DROP COLUMN delivered_at;
CREATE INDEX outbox_key_idx ON outbox (key, id);

ALTER TABLE activity ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();

-- Everything written to the outbox, pending (delivered_at NULL) or delivered, for operators and tests.
CREATE VIEW outbox_log AS
  SELECT id, event_id, topics, key, event, created_at, NULL::timestamptz AS delivered_at, attempts, last_error
  FROM outbox
  UNION ALL
  SELECT id, event_id, topics, key, event, created_at, delivered_at, attempts, NULL
  FROM outbox_delivered;
`;
