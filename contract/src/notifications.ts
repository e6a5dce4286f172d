import { z } from 'zod';
import { decimalInteger } from './decimal-integer.js';

export const notification = z
  .object({
    id: z.uuid(),
    type: z.string(),
    taskId: z.string().nullable(),
    title: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notification>;

export const notificationList = z.object({ items: z.array(notification), unread: z.number().int() });
export type NotificationList = z.infer<typeof notificationList>;

export const notificationIdParams = z.strictObject({ id: z.uuid('must be a notification id (UUID)') });

/** `GET /notifications`: how many of the newest to return. */
export const listNotificationsQuery = z.strictObject({
  limit: decimalInteger({ min: 1, max: 200, fallback: 50 }),
});
