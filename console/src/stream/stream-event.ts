import type { Notification, SseEventName, Task } from '@todo/contract';

// Named through the contract's SSE names, so a renamed or dropped event is a compile error here.
type Deleted = Extract<SseEventName, 'task.deleted'>;
type NotificationEvent = Extract<SseEventName, 'notification'>;

/** What the `/stream` SSE endpoint tells the console, after parsing. */
export type StreamEvent =
  | { type: Exclude<SseEventName, Deleted | NotificationEvent>; task: Task }
  | { type: Deleted; id: string }
  | { type: NotificationEvent; notification: Notification };

/** Parses one SSE message; accepts a bare payload or a CloudEvent wrapping it in `data`. Null when unusable. */
export function parseStreamEvent(type: string, raw: string): StreamEvent | null {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return null;
  }
  const payload = unwrap(body);
  if (!payload) return null;
  switch (type) {
    case 'task.created':
    case 'task.updated':
    case 'task.completed':
      return isTask(payload) ? { type, task: payload } : null;
    case 'task.deleted': {
      const id = payload.id ?? payload.taskId;
      return typeof id === 'string' ? { type, id } : null;
    }
    case 'notification':
      return typeof payload.id === 'string' && typeof payload.title === 'string'
        ? { type, notification: payload as unknown as Notification }
        : null;
    default:
      return null;
  }
}

function unwrap(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if ('specversion' in record && record.data && typeof record.data === 'object') {
    return record.data as Record<string, unknown>;
  }
  return record;
}

function isTask(v: Record<string, unknown>): v is Record<string, unknown> & Task {
  return typeof v.id === 'string' && typeof v.title === 'string' && typeof v.version === 'number';
}
