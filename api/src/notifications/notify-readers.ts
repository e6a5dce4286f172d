import { randomUUID } from 'node:crypto';
import { cloudEvent, NOTIFICATION_CREATED, topicName } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { enqueue } from '../events/outbox.js';
import { notificationRepository } from './notification.repository.js';

/** One notification to write: about a task, for a user, once per source event. */
export interface TaskNotice {
  userId: string;
  type: string;
  taskId: string;
  title: string;
  sourceEventId: string;
}

/**
 * Writes these notifications for the users who can still read their task (insertForReaders: one INSERT, once per
 * source event) and announces each one written as a live `notification` update (one outbox write).
 */
export async function notifyTaskReaders(
  tx: Queryable,
  notices: readonly TaskNotice[],
  topicPrefix: string | undefined,
): Promise<void> {
  const written = await notificationRepository.insertForReaders(
    tx,
    notices.map((n) => ({ id: randomUUID(), ...n })),
  );
  if (written.length === 0) return;
  const topic = topicName('taskUpdates', topicPrefix);
  await enqueue(
    tx,
    written.map(({ userId, ...notification }) => ({
      topics: [topic],
      key: notification.taskId,
      event: cloudEvent(NOTIFICATION_CREATED, notification.taskId, { userId, ...notification }),
    })),
  );
}
