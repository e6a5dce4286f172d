/**
 * Subtasks, manual order and the Trash.
 * - `parent_id`: a task's parent (same owner, at most 4 levels, no cycles: the service checks both under the
 *   owner's tree lock). A purged parent leaves its children at the top level rather than taking them along.
 * - `sort_order`: a fractional-indexing key (`fractional-indexing`), compared byte by byte (COLLATE "C"), so a
 *   move writes one row. A new task goes last among its siblings: its key is its creation instant in
 *   microseconds written as a key's integer part (`i` and nine base-62 digits), the format
 *   `todo_time_order_key` gives SQL (the default, and the backfill of existing tasks by creation time) and
 *   `timeOrderKey` gives the API.
 * - `deleted_at`: set while a task is in the Trash; every read leaves such rows out; purged after 30 days.
 */
export const sql = /* sql */ `
CREATE FUNCTION todo_time_order_key(at timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT 'i' || string_agg(
      substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
        (mod(floor(floor(extract(epoch FROM at) * 1000000) / power(62::numeric, 8 - i)), 62))::int + 1, 1),
      '' ORDER BY i)
    FROM generate_series(0, 8) AS i
  $$;

ALTER TABLE tasks
  ADD COLUMN parent_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
  ADD COLUMN sort_order text COLLATE "C",
  ADD COLUMN deleted_at timestamptz;
UPDATE tasks SET sort_order = todo_time_order_key(created_at);
ALTER TABLE tasks
  ALTER COLUMN sort_order SET DEFAULT todo_time_order_key(clock_timestamp()),
  ALTER COLUMN sort_order SET NOT NULL;

CREATE INDEX tasks_parent_idx ON tasks (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_manual_idx ON tasks (user_id, completed, sort_order, id);
CREATE INDEX tasks_trash_idx ON tasks (user_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
`;
