/**
 * The series anchor of a recurring task: the local wall-clock time of its series' first occurrence
 * (RFC 5545's DTSTART), carried to every successor. A DST gap can move one occurrence (02:30 does not exist,
 * so it is due at 03:30); the anchor keeps the rest of the series at 02:30. NULL for tasks written before
 * this migration and for tasks without a series: their own due time is then the series' time.
 */
export const sql = /* sql */ `
ALTER TABLE tasks ADD COLUMN series_start timestamp(0) without time zone;
`;
