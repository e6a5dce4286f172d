/**
 * The event backbone: the transactional outbox, consumer idempotency, the reminder due-queue,
 * notifications, the audit trail, the per-user live-update log and series bookkeeping.
 */
export const sql = /* sql */ `
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  topic text NOT NULL,
  key text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_pending_key_idx ON outbox (key, id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_delivered_idx ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

ALTER TABLE tasks ADD COLUMN occurrence integer NOT NULL DEFAULT 1;

-- One successor per occurrence, however often the occurrence is completed, reopened and completed again.
CREATE TABLE series_successors (
  task_id uuid PRIMARY KEY,
  successor_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reminder_schedule (
  task_id uuid NOT NULL,
  reminder_id uuid NOT NULL,
  user_id text NOT NULL,
  fire_at timestamptz NOT NULL,
  fired_at timestamptz,
  PRIMARY KEY (task_id, reminder_id)
);
CREATE INDEX reminder_schedule_due_idx ON reminder_schedule (fire_at) WHERE fired_at IS NULL;

CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  user_id text NOT NULL,
  type text NOT NULL,
  task_id uuid,
  title text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  source_event_id uuid NOT NULL UNIQUE
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE activity (
  id uuid PRIMARY KEY,
  user_id text NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  task_id uuid NOT NULL,
  title text NOT NULL,
  occurred_at timestamptz NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX activity_user_idx ON activity (user_id, occurred_at DESC, id DESC);

CREATE TABLE stream_events (
  seq bigserial PRIMARY KEY,
  user_id text NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_events_user_idx ON stream_events (user_id, seq);
`;
