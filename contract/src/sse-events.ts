import { NOTIFICATION_CREATED, TASK_EVENT_TYPES } from './cloudevents.js';

/** The event names `GET /stream` sends (the `event:` field of each Server-Sent Event). */
export const SSE_EVENT_NAMES = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.deleted',
  'notification',
] as const;
export type SseEventName = (typeof SSE_EVENT_NAMES)[number];

/** The SSE event each live update on `task-updates` becomes; a reopened task is, to a client, an updated one. */
export const SSE_EVENT_BY_CLOUDEVENT_TYPE: Readonly<Record<string, SseEventName>> = {
  [TASK_EVENT_TYPES.created]: 'task.created',
  [TASK_EVENT_TYPES.updated]: 'task.updated',
  [TASK_EVENT_TYPES.completed]: 'task.completed',
  [TASK_EVENT_TYPES.reopened]: 'task.updated',
  [TASK_EVENT_TYPES.deleted]: 'task.deleted',
  [NOTIFICATION_CREATED]: 'notification',
};
