import type { Task } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask, eventTypesOf, onTask, seriesTasks } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

// Undo of a recurring completion (the console's Undo reopens the task): the next occurrence the completion
// made goes while untouched, and a later completion makes exactly one again.
describe.each(STORAGES)('undoing the completion of a recurring task on %s', (storage) => {
  const t = useTestApp(storage);
  const as = () => onTask(t, t.auth);
  const series = (id: string) => seriesTasks(t, t.auth, id);
  const open = async (id: string) => (await series(id)).filter((x) => !x.completed);
  const successorRow = async (taskId: string) =>
    (
      await t.db.query<{ successor_id: string }>(
        'SELECT successor_id FROM series_successors WHERE task_id = $1',
        [taskId],
      )
    ).rows[0]?.successor_id;
  const stored = async (id: string) =>
    (await t.db.query<{ id: string }>('SELECT id FROM tasks WHERE id = $1', [id])).rows.length;
  const successorOf = (first: Task) =>
    eventually('the next occurrence', async () => {
      const next = (await open(first.id)).filter((x) => x.id !== first.id);
      expect(next).toHaveLength(1);
      return next[0]!;
    });
  const daily = (title: string) =>
    createTask(t, t.auth, { title, dueAt: '2030-02-01T09:30:00Z', recurrence: { rule: 'FREQ=DAILY' } });

  it('complete → reopen → complete leaves exactly one open successor; the undone one is deleted, with an event', async () => {
    const first = await daily('Standup');
    await as().complete(first.id);
    const undone = await successorOf(first);
    const reopened = await as().reopen(first.id);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ completed: false });
    // Nothing of the series is open but the reopened task, the row that claimed the successor is gone,
    // and the successor is deleted outright (not in the Trash), announced as a deletion.
    expect((await open(first.id)).map((x) => x.id)).toEqual([first.id]);
    expect(await successorRow(first.id)).toBeUndefined();
    expect(await stored(undone.id)).toBe(0);
    expect(await eventTypesOf(t, undone.id)).toEqual(['todo.task.created', 'todo.task.deleted']);

    await as().complete(first.id);
    const next = await successorOf(first);
    await t.events.drained();
    expect(next.id).not.toBe(undone.id);
    expect(next.dueAt).toBe('2030-02-02T09:30:00.000Z');
    expect(await open(first.id)).toHaveLength(1);
    expect(await successorRow(first.id)).toBe(next.id);
  });

  it('takes the copied subtasks of the undone occurrence along', async () => {
    const first = await daily('Tidy up');
    const child = await createTask(t, t.auth, { title: 'Desk', parentId: first.id });
    await as().complete(first.id);
    const undone = await successorOf(first);
    await t.events.drained();
    const { rows: copies } = await t.db.query<{ id: string }>('SELECT id FROM tasks WHERE parent_id = $1', [
      undone.id,
    ]);
    expect(copies).toHaveLength(1);
    await as().reopen(first.id);
    expect(await stored(undone.id)).toBe(0);
    expect(await stored(copies[0]!.id)).toBe(0);
    expect(await eventTypesOf(t, copies[0]!.id)).toEqual(['todo.task.created', 'todo.task.deleted']);
    // The reopened task's own subtask, which its completion completed, is reopened with it.
    expect((await as().get(child.id)).json()).toMatchObject({ completed: false });
  });

  const touches: [string, (id: string, last: Task) => Promise<{ statusCode: number }>][] = [
    [
      'edited',
      (id) =>
        t.server.inject({
          method: 'PATCH',
          url: `/api/v1/tasks/${id}`,
          headers: t.auth,
          payload: { title: 'Standup (other room)' },
        }),
    ],
    ['completed', (id) => as().complete(id)],
    [
      'given a subtask',
      async (id) => ({
        statusCode: (await createTask(t, t.auth, { title: 'Agenda', parentId: id })) ? 201 : 500,
      }),
    ],
    // After the task created last, so the move writes (a move to where it already is would not).
    ['moved', (id, last) => as().move(id, { after: last.id })],
  ];

  it.each(touches)(
    'keeps a successor that was %s, and completing again makes no second one',
    async (_, touch) => {
      const first = await daily('Standup');
      await as().complete(first.id);
      const next = await successorOf(first);
      await t.events.drained();
      const last = await createTask(t, t.auth, { title: 'Last in the list' });
      expect((await touch(next.id, last)).statusCode).toBeLessThan(300);
      await t.events.drained();
      // Completing the successor makes its own successor: the series as it stands before the undo.
      const before = (await series(first.id)).map((x) => x.id).sort();
      await as().reopen(first.id);
      await t.events.drained();
      expect(await stored(next.id)).toBe(1);
      expect(await successorRow(first.id)).toBe(next.id);
      await as().complete(first.id);
      await t.events.drained();
      // Still the one successor: the second completion finds the occurrence's successor claimed.
      expect((await series(first.id)).map((x) => x.id).sort()).toEqual(before);
    },
  );

  it('a reopen that comes before the consumer applies the completion: no successor is made', async () => {
    const first = await daily('Journal');
    await t.events.relay.stop();
    try {
      expect((await as().complete(first.id)).statusCode).toBe(200);
      expect((await as().reopen(first.id)).statusCode).toBe(200);
    } finally {
      await t.events.relay.start();
    }
    await t.events.drained();
    expect((await series(first.id)).map((x) => x.id)).toEqual([first.id]);
    expect(await successorRow(first.id)).toBeUndefined();
    // The completion the consumer skipped left nothing claimed: completing again makes exactly one.
    await as().complete(first.id);
    await successorOf(first);
    await t.events.drained();
    expect(await series(first.id)).toHaveLength(2);
  });

  it('reopens racing the consumer always end with the task open and no successor', async () => {
    for (let round = 0; round < 8; round++) {
      const first = await daily(`Race ${round}`);
      await t.events.relay.stop();
      try {
        await as().complete(first.id);
      } finally {
        // The consumer and the reopen run side by side: either may take the task's row lock first.
        await Promise.all([t.events.relay.start(), as().reopen(first.id)]);
      }
      await t.events.drained();
      expect((await series(first.id)).map((x) => [x.id, x.completed])).toEqual([[first.id, false]]);
      expect(await successorRow(first.id)).toBeUndefined();
    }
  });
});
