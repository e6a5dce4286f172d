import type { Task } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask, seriesTasks } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('a daily series across a DST gap on %s', (storage) => {
  const t = useTestApp(storage);

  const create = (payload: object) => createTask(t, t.auth, payload);
  const series = (seriesId: string) => seriesTasks(t, t.auth, seriesId);

  /** Completes each open task of the series as soon as it appears; the due dates of every task, in order. */
  async function completeRepeatedly(first: Task, times: number): Promise<(string | null)[]> {
    let current = first;
    for (let i = 0; i < times; i++) {
      const done = await t.server.inject({
        method: 'POST',
        url: `/api/v1/tasks/${current.id}/complete`,
        headers: t.auth,
      });
      expect(done.statusCode).toBe(200);
      current = await eventually('the next occurrence', async () => {
        const open = (await series(first.id)).filter((task) => !task.completed);
        expect(open).toHaveLength(1);
        return open[0]!;
      });
    }
    return (await series(first.id)).map((task) => task.dueAt);
  }

  it('comes back to 02:30 after the gap moved one occurrence to 03:30', async () => {
    const first = await create({
      title: 'Night backup check',
      dueAt: '2027-03-12T02:30:00-05:00',
      timeZone: 'America/New_York',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    expect(await completeRepeatedly(first, 5)).toEqual([
      '2027-03-12T07:30:00.000Z', // 02:30 EST
      '2027-03-13T07:30:00.000Z', // 02:30 EST
      '2027-03-14T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2027-03-15T06:30:00.000Z', // 02:30 EDT
      '2027-03-16T06:30:00.000Z',
      '2027-03-17T06:30:00.000Z',
    ]);
  });

  it('still has the occurrence on UNTIL after the gap', async () => {
    const first = await create({
      title: 'Until the 16th',
      dueAt: '2027-03-12T02:30:00-05:00',
      timeZone: 'America/New_York',
      recurrence: { rule: 'FREQ=DAILY;UNTIL=20270316T023000', from: 'due' },
    });
    const dues = await completeRepeatedly(first, 4);
    expect(dues.at(-1)).toBe('2027-03-16T06:30:00.000Z');
    expect(dues).toHaveLength(5);
  });

  it('restarts the series at the new time when the due date is edited', async () => {
    const first = await create({
      title: 'Moved to 03:30',
      dueAt: '2027-03-13T02:30:00-05:00',
      timeZone: 'America/New_York',
      recurrence: { rule: 'FREQ=DAILY', from: 'due' },
    });
    const edited = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${first.id}`,
      headers: t.auth,
      payload: { dueAt: '2027-03-14T03:30:00-04:00' },
    });
    expect(edited.statusCode).toBe(200);
    expect(await completeRepeatedly(first, 1)).toEqual([
      '2027-03-14T07:30:00.000Z',
      '2027-03-15T07:30:00.000Z', // 03:30 EDT, the time the user chose
    ]);
  });
});
