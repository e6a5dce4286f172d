import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask, seriesTasks } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('recurring tasks on %s', (storage) => {
  const t = useTestApp(storage);

  const create = (payload: object) => createTask(t, t.auth, payload);
  const complete = (id: string) =>
    t.server.inject({ method: 'POST', url: `/api/v1/tasks/${id}/complete`, headers: t.auth });
  const series = (seriesId: string) => seriesTasks(t, t.auth, seriesId);

  it('creates the next occurrence within 2 s, copying the task and shifting the due date', async () => {
    const first = await create({
      title: 'Water plants',
      description: 'All of them',
      priority: 'medium',
      tags: ['home'],
      dueAt: '2030-01-06T09:00:00Z',
      reminders: [{ before: 'PT15M' }, { remindAt: '2030-01-06T08:00:00Z' }],
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
    });
    const started = Date.now();
    expect((await complete(first.id)).statusCode).toBe(200);
    const next = await eventually(
      'the next occurrence',
      async () => {
        const open = (await series(first.id)).filter((x) => !x.completed);
        expect(open).toHaveLength(1);
        return open[0]!;
      },
      2000,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(next).toMatchObject({
      title: 'Water plants',
      priority: 'medium',
      tags: ['home'],
      dueAt: '2030-01-07T09:00:00.000Z',
      seriesId: first.id,
    });
    expect(next.id).not.toBe(first.id);
    expect(next.reminders.map((r) => r.before ?? r.remindAt)).toEqual(['PT15M', '2030-01-07T08:00:00.000Z']);
    expect(next.reminders[0]!.id).not.toBe(first.reminders[0]!.id);
  });

  it('acknowledges the completion of a one-off task without a transaction or a record', async () => {
    const once = await create({ title: 'Post the letter' });
    const recurring = await create({
      title: 'Stretch',
      dueAt: '2030-01-06T09:00:00Z',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    expect((await complete(once.id)).statusCode).toBe(200);
    expect((await complete(recurring.id)).statusCode).toBe(200);
    await t.events.drained();
    const { rows } = await t.db.query<{ task: string }>(
      `SELECT o.key AS task FROM processed_events p JOIN outbox_log o ON o.event_id = p.event_id
       WHERE p.consumer = 'recurrence' AND o.key = ANY($1::text[])`,
      [[once.id, recurring.id]],
    );
    expect(rows.map((r) => r.task)).toEqual([recurring.id]);
  });

  it('never makes a second successor when an occurrence is reopened and completed again', async () => {
    const first = await create({
      title: 'Daily standup',
      dueAt: '2030-02-01T09:30:00Z',
      recurrence: { rule: 'FREQ=DAILY' },
    });
    await complete(first.id);
    await eventually('the successor', async () => (await series(first.id)).length === 2);
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${first.id}/reopen`, headers: t.auth });
    await complete(first.id);
    await t.events.drained();
    expect(await series(first.id)).toHaveLength(2);
  });

  it('turns three concurrent completes into one successor', async () => {
    const first = await create({
      title: 'Pay rent',
      dueAt: '2030-03-01T09:00:00Z',
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' },
    });
    const results = await Promise.all([complete(first.id), complete(first.id), complete(first.id)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await t.events.drained();
    const all = await series(first.id);
    expect(all).toHaveLength(2);
    expect(all.find((x) => !x.completed)?.dueAt).toBe('2030-04-01T09:00:00.000Z');
  });

  it('ends the series after COUNT occurrences', async () => {
    const first = await create({
      title: 'Three sessions',
      dueAt: '2030-05-01T10:00:00Z',
      recurrence: { rule: 'FREQ=DAILY;COUNT=3' },
    });
    let current = first;
    for (let i = 0; i < 2; i++) {
      await complete(current.id);
      current = await eventually('the next occurrence', async () => {
        const open = (await series(first.id)).filter((x) => !x.completed);
        expect(open).toHaveLength(1);
        return open[0]!;
      });
    }
    expect(current.dueAt).toBe('2030-05-03T10:00:00.000Z');
    await complete(current.id);
    await t.events.drained();
    const all = await series(first.id);
    expect(all).toHaveLength(3);
    expect(all.every((x) => x.completed)).toBe(true);
  });
});
