import type { Notification, Task } from '@todo/contract';

/** What the `/stream` SSE endpoint tells the console, after parsing. */
export type StreamEvent =
  | { type: 'task.created' | 'task.updated' | 'task.completed'; task: Task }
  | { type: 'task.deleted'; id: string }
  | { type: 'notification'; notification: Notification };

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
