import { z } from 'zod';
import { cursor } from './date-time.js';
import { decimalInteger } from './decimal-integer.js';

const activityEntry = z
  .object({
    id: z.uuid(),
    type: z
      .string()
      .meta({ description: 'task.created, task.updated, task.completed, task.reopened or task.deleted' }),
    taskId: z.uuid(),
    title: z.string(),
    occurredAt: z.string(),
    changes: z.object({ fields: z.array(z.string()).optional() }),
  })
  .meta({ id: 'ActivityEntry' });
/** One entry of the audit trail (`GET /activity`). */
export type ActivityEntry = z.infer<typeof activityEntry>;

export const activityPage = z.object({ items: z.array(activityEntry), nextCursor: z.string().nullable() });

export const activityQuery = z.strictObject({
  limit: decimalInteger({ min: 1, max: 200, fallback: 50 }),
  cursor: cursor.optional(),
});
