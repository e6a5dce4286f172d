/** Users, tasks (with full-text search and an index per filter and sort) and the app's own secrets. */
export const sql = /* sql */ `
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- array_to_string is only STABLE; tags are plain text so joining them is safely IMMUTABLE.
CREATE FUNCTION todo_tags_text(tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string(tags, ' '), '') $$;

CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  user_id text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  completed boolean NOT NULL DEFAULT false,
  completed_at timestamptz,
  priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 4),
  tags text[] NOT NULL DEFAULT '{}',
  due_at timestamptz,
  time_zone text NOT NULL DEFAULT 'UTC',
  reminders jsonb NOT NULL DEFAULT '[]',
  recurrence_rule text,
  recurrence_from text CHECK (recurrence_from IN ('due', 'completion')),
  series_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('simple', todo_tags_text(tags)), 'B') ||
    setweight(to_tsvector('english', description), 'C')
  ) STORED
);

-- Keyset pagination: every sort is (expression, id) within one user's open or completed tasks.
CREATE INDEX tasks_due_idx ON tasks (user_id, completed, (coalesce(due_at, 'infinity'::timestamptz)), id);
CREATE INDEX tasks_due_desc_idx ON tasks (user_id, completed, (coalesce(due_at, '-infinity'::timestamptz)), id);
CREATE INDEX tasks_priority_idx ON tasks (user_id, completed, priority, id);
CREATE INDEX tasks_created_idx ON tasks (user_id, completed, created_at, id);
CREATE INDEX tasks_updated_idx ON tasks (user_id, completed, updated_at, id);
CREATE INDEX tasks_title_idx ON tasks (user_id, completed, lower(title) COLLATE "C", id);
CREATE INDEX tasks_tags_idx ON tasks USING gin (tags);
CREATE INDEX tasks_search_idx ON tasks USING gin (search);
CREATE INDEX tasks_recurring_idx ON tasks (user_id) WHERE recurrence_rule IS NOT NULL;
CREATE INDEX tasks_series_idx ON tasks (series_id) WHERE series_id IS NOT NULL;
`;
