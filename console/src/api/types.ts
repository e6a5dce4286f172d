/** Payload shapes of the public REST API (see the contract); the console never invents fields. */

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Reminder {
  id?: string;
  remindAt?: string;
  before?: string;
}

export interface Recurrence {
  rule: string;
  from: 'due' | 'completion';
}

export interface Task {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  completedAt: string | null;
  priority: Priority;
  tags: string[];
  dueAt: string | null;
  timeZone: string;
  reminders: Reminder[];
  recurrence: Recurrence | null;
  seriesId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What the console sends when creating or editing a task. */
export interface TaskInput {
  title?: string;
  description?: string;
  priority?: Priority;
  tags?: string[];
  dueAt?: string | null;
  timeZone?: string;
  reminders?: Reminder[];
  recurrence?: Recurrence | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TagCount {
  name: string;
  count: number;
}

export interface Notification {
  id: string;
  type: string;
  taskId: string | null;
  title: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  items: Notification[];
  unread: number;
}

/** One entry of the audit trail (`GET /activity`). */
export interface ActivityEntry {
  id: string;
  /** task.created, task.updated, task.completed, task.reopened or task.deleted */
  type: string;
  taskId: string;
  title: string;
  occurredAt: string;
  changes?: { fields?: string[] };
}

export interface User {
  id: string;
  email: string;
  name?: string | null;
}

export interface AuthResult {
  token: string;
  user: User;
}
