import { describe, expect, it } from 'vitest';
import { takeEvents, touchedTasks } from './chat-events.js';

describe('the chat stream reader', () => {
  it('returns whole events and keeps a partial one for the next chunk', () => {
    const first = takeEvents('event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"te');
    expect(first.events).toEqual([{ event: 'delta', data: { text: 'Hel' } }]);
    const second = takeEvents(`${first.rest}xt":"lo"}\n\n`);
    expect(second.events).toEqual([{ event: 'delta', data: { text: 'lo' } }]);
    expect(second.rest).toBe('');
  });

  it('links each task a tool returned once, not a deleted one', () => {
    const task = { id: 't1', title: 'Pay rent' };
    expect(
      touchedTasks([
        { tool: 'add_task', arguments: {}, result: task },
        { tool: 'complete_task', arguments: {}, result: { ...task, completed: true } },
        { tool: 'delete_task', arguments: {}, result: { id: 't2', trashed: true } },
        { tool: 'update_task', arguments: {}, result: { error: 'nope' } },
      ]),
    ).toEqual([task]);
  });
});
