/**
 * What each import created, by where it came from: one row per imported task (or project), keyed by the user,
 * the source format and the id it had there (a JSON export's id, an iCalendar UID, a hash of a Todoist CSV
 * row), so importing the same file again creates nothing. Deleting the task forgets its row. `project_id`
 * has no foreign key: the projects table (migration 009) may be created after this one on an existing database.
 */
export const sql = /* sql */ `
CREATE TABLE import_sources (
  user_id text NOT NULL,
  source text NOT NULL,
  source_id text NOT NULL,
  task_id uuid REFERENCES tasks (id) ON DELETE CASCADE,
  project_id uuid,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, source, source_id),
  CHECK ((task_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX import_sources_task_idx ON import_sources (task_id) WHERE task_id IS NOT NULL;
`;
