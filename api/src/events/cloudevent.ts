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

export type TaskEventType = (typeof TASK_EVENT_TYPES)[keyof typeof TASK_EVENT_TYPES];
export type EventType = TaskEventType | typeof REMINDER_DUE;
