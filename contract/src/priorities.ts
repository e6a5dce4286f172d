/** Priorities in rank order; the database stores the index so sorting by rank is a plain integer sort. */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
