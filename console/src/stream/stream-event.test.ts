import { describe, expect, it } from 'vitest';
import { parseStreamEvent } from './stream-event.js';

const task = { id: 't1', title: 'Pay rent', version: 2 };

describe('stream events', () => {
  it('reads task snapshots, bare or wrapped in a CloudEvent', () => {
    expect(parseStreamEvent('task.created', JSON.stringify(task))).toEqual({ type: 'task.created', task });
    const wrapped = { specversion: '1.0', type: 'todo.task.updated', data: task };
    expect(parseStreamEvent('task.updated', JSON.stringify(wrapped))).toEqual({ type: 'task.updated', task });
  });

  it('reads deletions and notifications', () => {
    expect(parseStreamEvent('task.deleted', '{"id":"t1"}')).toEqual({ type: 'task.deleted', id: 't1' });
    const n = { id: 'n1', type: 'reminder', taskId: 't1', title: 'Pay rent', createdAt: 'x', readAt: null };
    expect(parseStreamEvent('notification', JSON.stringify(n))).toEqual({
      type: 'notification',
      notification: n,
    });
  });

  it('ignores what it cannot use instead of breaking the list', () => {
    expect(parseStreamEvent('task.created', 'not json')).toBeNull();
    expect(parseStreamEvent('task.created', '{"id":"t1"}')).toBeNull();
    expect(parseStreamEvent('task.renamed', JSON.stringify(task))).toBeNull();
  });
});
