/**
 * The manual order's index led by the project, like every other list index since migration 009: a list is
 * read project by project (buildListQuery), so an index led by the task's creator could not serve it.
 */
export const sql = /* sql */ `
DROP INDEX tasks_manual_idx;
CREATE INDEX tasks_project_manual_idx ON tasks (project_id, completed, sort_order, id);
`;
