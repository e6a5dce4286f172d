/**
 * The search index's pending list stays short. GIN puts new entries in an unsorted pending list (up to
 * `gin_pending_list_limit`, 4 MB by default) that every search scans in full until it is merged: under a
 * steady stream of creates, a search's index scan took 3–4 ms instead of 0.3 ms (20 users × 500 tasks plus
 * 14,000 created during `bench:latency`). Writing straight into the index instead (`fastupdate = off`) made
 * every create and complete pay a GIN insert; 128 kB keeps most of the batching and bounds what a search
 * scans.
 */
export const sql = /* sql */ `
ALTER INDEX tasks_user_search_idx SET (gin_pending_list_limit = 128);
SELECT gin_clean_pending_list('tasks_user_search_idx');
`;
