/**
 * Projects and sharing. Every task belongs to exactly one project; every user has an Inbox (created here for
 * each user and each task owner known only by a token's `sub`, and at sign-up or first use afterwards), and
 * the existing tasks move to their owner's Inbox. Membership (`project_members`, one row per user, the owner's
 * included) is what the access module reads; the list indexes now lead with the project instead of the user.
 * A live update may go to several users, so the stream log is unique per event and user; the audit trail
 * remembers each entry's project, by which members read it.
 */
export const sql = /* sql */ `
CREATE TABLE projects (
  id uuid PRIMARY KEY,
  owner_id text NOT NULL,
  name text NOT NULL,
  color text,
  parent_id uuid REFERENCES projects (id) ON DELETE SET NULL,
  archived boolean NOT NULL DEFAULT false,
  position text NOT NULL,
  inbox boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id),
  CHECK (NOT inbox OR parent_id IS NULL)
);
CREATE UNIQUE INDEX projects_inbox_key ON projects (owner_id) WHERE inbox;
CREATE INDEX projects_parent_idx ON projects (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE project_members (
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_idx ON project_members (user_id, project_id, role);

INSERT INTO projects (id, owner_id, name, position, inbox)
  SELECT gen_random_uuid(), owner, 'Inbox', 'a0', true
  FROM (SELECT id AS owner FROM users UNION SELECT user_id FROM tasks) AS owners;
INSERT INTO project_members (project_id, user_id, role) SELECT id, owner_id, 'owner' FROM projects;

ALTER TABLE tasks ADD COLUMN project_id uuid, ADD COLUMN assignee_id text;
UPDATE tasks SET project_id = p.id FROM projects p WHERE p.inbox AND p.owner_id = tasks.user_id;
ALTER TABLE tasks ALTER COLUMN project_id SET NOT NULL;
-- A project is deleted by deleting its tasks first (so each deletion is an event); the cascade only clears
-- rows no event path can reach.
ALTER TABLE tasks ADD CONSTRAINT tasks_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE;

-- Keyset pagination within the projects a user reads: the same shapes as migration 001, led by the project.
DROP INDEX tasks_due_idx, tasks_due_desc_idx, tasks_priority_idx, tasks_created_idx, tasks_updated_idx,
  tasks_title_idx, tasks_recurring_idx;
CREATE INDEX tasks_project_due_idx ON tasks (project_id, completed, (coalesce(due_at, 'infinity'::timestamptz)), id);
CREATE INDEX tasks_project_due_desc_idx ON tasks (project_id, completed, (coalesce(due_at, '-infinity'::timestamptz)), id);
CREATE INDEX tasks_project_priority_idx ON tasks (project_id, completed, priority, id);
CREATE INDEX tasks_project_created_idx ON tasks (project_id, completed, created_at, id);
CREATE INDEX tasks_project_updated_idx ON tasks (project_id, completed, updated_at, id);
CREATE INDEX tasks_project_title_idx ON tasks (project_id, completed, lower(title) COLLATE "C", id);
CREATE INDEX tasks_project_recurring_idx ON tasks (project_id) WHERE recurrence_rule IS NOT NULL;
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, completed) WHERE assignee_id IS NOT NULL;
CREATE INDEX tasks_project_search_idx ON tasks USING gin (project_id, search) WITH (gin_pending_list_limit = 128);
DROP INDEX tasks_user_search_idx;

ALTER TABLE stream_events DROP CONSTRAINT stream_events_event_id_key;
CREATE UNIQUE INDEX stream_events_event_user_key ON stream_events (event_id, user_id);

ALTER TABLE activity ADD COLUMN project_id uuid;
UPDATE activity SET project_id = p.id FROM projects p WHERE p.inbox AND p.owner_id = activity.user_id;
CREATE INDEX activity_project_idx ON activity (project_id, occurred_at DESC, id DESC);
`;
