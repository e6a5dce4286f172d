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

  const openOfSeries = async (seriesId: string) =>
    (await seriesTasks(t, t.auth, seriesId)).filter((x) => !x.completed);

  it('a recurring subtask completed with its recurring parent recurs once: as the copy in the next occurrence', async () => {
    const parent = await createTask(t, t.auth, {
      title: 'Weekly review',
      dueAt: '2030-03-04T09:00:00Z',
      recurrence: { rule: 'FREQ=WEEKLY', from: 'due' },
    });
    const inbox = await createTask(t, t.auth, {
      title: 'Empty the inbox',
      parentId: parent.id,
      dueAt: '2030-03-04T08:00:00Z',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    expect((await as().complete(parent.id)).statusCode).toBe(200);
    const next = await eventually('the next occurrence', async () => {
      const open = await openOfSeries(parent.id);
      expect(open).toHaveLength(1);
      return open[0]!;
    });
    await t.events.drained();
    // Exactly one open task of the subtask's series: its copy under the next occurrence (none beside the
    // completed subtask under the completed parent).
    const copies = await children(next.id);
    expect(copies.map((c) => [c.title, c.completed])).toEqual([['Empty the inbox', false]]);
    expect((await openOfSeries(inbox.id)).map((x) => x.id)).toEqual([copies[0]!.id]);
    expect((await children(parent.id)).map((c) => [c.id, c.completed])).toEqual([[inbox.id, true]]);
    const { rows } = await t.db.query('SELECT 1 FROM series_successors WHERE task_id = $1', [inbox.id]);
    expect(rows).toHaveLength(0);

    // Completed on its own, the copy makes its own successor, under the same parent.
    expect((await as().complete(copies[0]!.id)).statusCode).toBe(200);
    await eventually('the next occurrence of the subtask', async () => {
      expect(await openOfSeries(inbox.id)).toHaveLength(1);
      return true;
    });
    await t.events.drained();
    const [own] = await openOfSeries(inbox.id);
    expect(own).toMatchObject({ parentId: next.id, dueAt: '2030-03-12T08:00:00.000Z' });
    expect(await children(next.id)).toHaveLength(2);
  });

  it('one copy when the recurring ancestor is itself a subtask completed with a one-off parent', async () => {
    const project = await createTask(t, t.auth, { title: 'Garden (one-off)' });
    const mow = await createTask(t, t.auth, {
      title: 'Mow',
      parentId: project.id,
      dueAt: '2030-04-01T09:00:00Z',
      recurrence: { rule: 'FREQ=WEEKLY', from: 'due' },
    });
    const edges = await createTask(t, t.auth, {
      title: 'Edges',
      parentId: mow.id,
      dueAt: '2030-04-01T10:00:00Z',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    expect((await as().complete(project.id)).statusCode).toBe(200);
    const nextMow = await eventually('the next mow', async () => {
      const open = await openOfSeries(mow.id);
      expect(open).toHaveLength(1);
      return open[0]!;
    });
    await t.events.drained();
    expect(nextMow.parentId).toBe(project.id);
    const copies = await children(nextMow.id);
    expect(copies.map((c) => c.title)).toEqual(['Edges']);
    expect((await openOfSeries(edges.id)).map((x) => x.id)).toEqual([copies[0]!.id]);
  });

  it('a recurring subtask completed with a one-off parent still recurs by its own rule', async () => {
    const parent = await createTask(t, t.auth, { title: 'Move house' });
    const water = await createTask(t, t.auth, {
      title: 'Water the plants',
      parentId: parent.id,
      dueAt: '2030-05-01T09:00:00Z',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    expect((await as().complete(parent.id)).statusCode).toBe(200);
    const next = await eventually('its next occurrence', async () => {
      const open = await openOfSeries(water.id);
      expect(open).toHaveLength(1);
      return open[0]!;
    });
    expect(next).toMatchObject({ parentId: parent.id, dueAt: '2030-05-02T09:00:00.000Z' });
  });
});
