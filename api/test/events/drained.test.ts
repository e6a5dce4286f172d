import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { useTestApp } from '../support/test-app.js';

describe('the event backbone drained signal on postgres', () => {
  const t = useTestApp('postgres');

  it('resolves only once every event written before it, and every event those caused, has been applied', async () => {
    const task = await createTask(t, t.auth, {
      title: 'Water the plants',
      dueAt: '2030-01-01T08:00:00Z',
      recurrence: { rule: 'FREQ=DAILY' },
    });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/complete`, headers: t.auth });
    await t.events.drained();

    // The completion's consumer wrote the successor; the successor's own events reached the audit trail too.
    const { rows } = await t.db.query<{ tasks: number; activity: number; outbox: number }>(
      `SELECT (SELECT count(*)::int FROM tasks WHERE series_id = $1 OR id = $1) AS tasks,
              (SELECT count(*)::int FROM activity WHERE task_id IN (SELECT id FROM tasks WHERE series_id = $1 OR id = $1)) AS activity,
              (SELECT count(*)::int FROM outbox) AS outbox`,
      [task.seriesId ?? task.id],
    );
    expect(rows[0]).toEqual({ tasks: 2, activity: 3, outbox: 0 });
  });
});
