/**
 * What each import created, by where it came from: one row per imported task, keyed by the user, the
 * source format and the id the task had there (a JSON export's task id, an iCalendar UID, a hash of a
 * Todoist CSV row), so importing the same file again creates nothing. Deleting the task forgets its row.
 */
export const sql = /* sql */ `
CREATE TABLE import_sources (
  user_id text NOT NULL,
  source text NOT NULL,
  source_id text NOT NULL,
  task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, source, source_id)
);
CREATE INDEX import_sources_task_idx ON import_sources (task_id);
`;
