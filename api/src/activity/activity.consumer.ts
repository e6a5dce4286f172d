import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';
import { activityRepository, type NewActivityEntry } from './activity.repository.js';

/** Appends one audit-trail entry per task event, all in one statement (the event id is unique there too). */
export async function recordActivity(tx: Queryable, events: readonly CloudEvent[]): Promise<void> {
  const entries = events.map((event): NewActivityEntry => {
    const data = event.data as Partial<TaskEventData>;
    if (
      !event.type.startsWith('todo.task.') ||
      typeof data.userId !== 'string' ||
      typeof data.id !== 'string'
    ) {
      throw new UnprocessableEventError(`not a task event: ${event.type}`);
    }
    return {
      id: randomUUID(),
      userId: data.userId,
      eventId: event.id,
      type: event.type.slice('todo.'.length),
      taskId: data.id,
      projectId: typeof data.projectId === 'string' ? data.projectId : null,
      title: String(data.title ?? ''),
      occurredAt: event.time,
      changes: data.changedFields ? { fields: data.changedFields } : {},
    };
  });
  await activityRepository.append(tx, entries);
}
