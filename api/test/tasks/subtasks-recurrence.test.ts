import type { Task } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask, onTask, seriesTasks } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('subtasks of a recurring task on %s', (storage) => {
  const t = useTestApp(storage);
  const as = () => onTask(t, t.auth);
  const children = async (parentId: string) =>
    (
      await t.server.inject({
        url: `/api/v1/tasks?status=all&parentId=${parentId}&sort=manual`,
        headers: t.auth,
      })
    ).json().items as Task[];

  it('copies the subtasks into the next occurrence, reopened, in order, due dates shifted with the parent', async () => {
    const parent = await createTask(t, t.auth, {
      title: 'Clean the flat',
      dueAt: '2030-01-06T09:00:00Z',
      recurrence: { rule: 'FREQ=WEEKLY', from: 'due' },
    });
    const kitchen = await createTask(t, t.auth, {
      title: 'Kitchen',
      parentId: parent.id,
      dueAt: '2030-01-06T08:00:00Z',
      reminders: [{ remindAt: '2030-01-06T07:30:00Z' }],
    });
    const bath = await createTask(t, t.auth, { title: 'Bathroom', parentId: parent.id });
    await createTask(t, t.auth, { title: 'Descale the shower', parentId: bath.id });
    await as().move(bath.id, { before: kitchen.id });
    await as().complete(kitchen.id);
    expect((await as().complete(parent.id)).statusCode).toBe(200);

    const next = await eventually('the next occurrence', async () => {
      const open = (await seriesTasks(t, t.auth, parent.id)).filter((x) => !x.completed);
      expect(open).toHaveLength(1);
      return open[0]!;
    });
    await t.events.drained();
    expect(next).toMatchObject({ dueAt: '2030-01-13T09:00:00.000Z', parentId: null, order: parent.order });
    const copies = await children(next.id);
    expect(copies.map((c) => [c.title, c.completed])).toEqual([
      ['Bathroom', false],
      ['Kitchen', false],
    ]);
    expect(copies.every((c) => c.id !== kitchen.id && c.id !== bath.id)).toBe(true);
    const kitchenCopy = copies[1]!;
    expect(kitchenCopy.dueAt).toBe('2030-01-13T08:00:00.000Z');
    expect(kitchenCopy.reminders[0]).toMatchObject({ remindAt: '2030-01-13T07:30:00.000Z' });
    expect(kitchenCopy.reminders[0]!.id).not.toBe(kitchen.reminders[0]!.id);
    expect((await children(copies[0]!.id)).map((c) => [c.title, c.completed])).toEqual([
      ['Descale the shower', false],
    ]);
    // The completed occurrence keeps its own subtasks, completed.
    expect((await children(parent.id)).map((c) => c.completed)).toEqual([true, true]);
  });
});
