/**
 * Events that cannot be delivered or applied stop blocking the rest, and live updates cannot be skipped.
 * - `outbox_dead`: outbox rows the bus refused on every attempt, moved aside by the relay (replayable).
 * - `consumer_failures` counts the failed attempts of one consumer on one event; after the last one the event
 *   goes to `consumer_dead` (replayable) and the consumer moves on.
 * - Live updates get a per-user sequence (`user_seq`) allocated from `stream_heads` under the user's row lock,
 *   so a user's rows commit in sequence order and a reader that has sent row n never misses a row below n.
 *   Existing rows keep their global number (it already rises per user), so clients' Last-Event-ID still works.
 */
export const sql = /* sql */ `
CREATE TABLE outbox_dead (
  id bigint PRIMARY KEY,
  event_id uuid NOT NULL,
  topics text[] NOT NULL,
  key text NOT NULL,
  event json NOT NULL,
  created_at timestamptz NOT NULL,
  dead_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL,
  last_error text
);

CREATE TABLE consumer_failures (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  attempts integer NOT NULL,
  last_error text,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE consumer_dead (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  topic text NOT NULL,
  key text NOT NULL,
  event json NOT NULL,
  attempts integer NOT NULL,
  error text NOT NULL,
  dead_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

ALTER TABLE stream_events ADD COLUMN user_seq bigint;
UPDATE stream_events SET user_seq = seq;
ALTER TABLE stream_events ALTER COLUMN user_seq SET NOT NULL;
DROP INDEX stream_events_user_idx;
CREATE UNIQUE INDEX stream_events_user_seq_key ON stream_events (user_id, user_seq);

CREATE TABLE stream_heads (
  user_id text PRIMARY KEY,
  last_seq bigint NOT NULL
);
INSERT INTO stream_heads (user_id, last_seq) SELECT user_id, max(seq) FROM stream_events GROUP BY user_id;
`;
