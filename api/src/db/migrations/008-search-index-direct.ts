/**
 * The search index is written at insert time, not through GIN's pending list. With `fastupdate` on, new
 * tasks' words wait in an unsorted list (up to 4 MB) that every search scans in full until a vacuum merges
 * it: under a steady stream of creates, a search's index scan took 3–4 ms instead of 0.3 ms (20 users × 500
 * tasks plus 14,000 created during `bench:latency`). A direct insert costs each create a little instead.
 */
export const sql = /* sql */ `
ALTER INDEX tasks_user_search_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('tasks_user_search_idx');
`;
