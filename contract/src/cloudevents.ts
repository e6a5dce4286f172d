/** CloudEvents 1.0 structured-mode JSON envelope, as carried on every topic. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export const EVENT_SOURCE = '/todo-api';

export const TASK_EVENT_TYPES = {
  created: 'todo.task.created',
  updated: 'todo.task.updated',
  completed: 'todo.task.completed',
  reopened: 'todo.task.reopened',
  deleted: 'todo.task.deleted',
} as const;

export const REMINDER_DUE = 'todo.reminder.due';
/** On `task-updates` only: a notification was created for a user (a live update, not part of the contract's types). */
export const NOTIFICATION_CREATED = 'todo.notification.created';

export type TaskEventType = (typeof TASK_EVENT_TYPES)[keyof typeof TASK_EVENT_TYPES];

// Web Crypto's randomUUID is global in Node.js 20+ and browsers; the contract is typed without DOM or Node libs.
declare const crypto: { randomUUID(): string };

/** Builds a CloudEvent of ours; pure but for the fresh id and the clock, both of which a caller may pass. */
export function cloudEvent<T>(
  type: string,
  subject: string,
  data: T,
  now: Date = new Date(),
  id: string = crypto.randomUUID(),
): CloudEvent<T> {
  return {
    specversion: '1.0',
    id,
    source: EVENT_SOURCE,
    type,
    subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks the envelope of an incoming event; anything else is a payload to drop, not to retry. */
export function isCloudEvent(value: unknown): value is CloudEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    e.specversion === '1.0' &&
    typeof e.id === 'string' &&
    UUID.test(e.id) &&
    typeof e.type === 'string' &&
    typeof e.subject === 'string' &&
    typeof e.data === 'object' &&
    e.data !== null
  );
}
