import { eventually } from '@todo/infra/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ReminderPoller } from '../../src/reminders/reminder-poller.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the reminder due-queue at scale (postgres)', () => {
  it('fires 10,000 reminders across 100 users exactly once, each within 1 s of its time, with two pollers racing', async () => {
    const t: TestApp = await createTestApp('postgres');
    const extra = new ReminderPoller(t.db, pino({ level: 'silent' }), undefined);
    try {
      const start = Date.now() + 3000;
      // 100 users, each with an Inbox, × 100 tasks, one reminder each, spread over 5 seconds.
      await t.db.query(
        `WITH u AS (SELECT 'user-' || g AS id FROM generate_series(1, 100) g),
              p AS (INSERT INTO projects (id, owner_id, name, position, inbox)
                    SELECT gen_random_uuid(), id, 'Inbox', 'a0', true FROM u RETURNING id, owner_id),
              m AS (INSERT INTO project_members (project_id, user_id, role) SELECT id, owner_id, 'owner' FROM p),
              t AS (SELECT gen_random_uuid() AS id, p.owner_id AS user_id, p.id AS project_id,
                           gen_random_uuid() AS reminder_id, i
                    FROM p, generate_series(1, 100) i)
         , ins AS (INSERT INTO tasks (id, user_id, project_id, title, reminders)
                   SELECT id, user_id, project_id, 'bulk ' || i, jsonb_build_array(jsonb_build_object('id', reminder_id, 'remindAt', 'x')) FROM t)
         INSERT INTO reminder_schedule (task_id, reminder_id, user_id, fire_at)
         SELECT id, reminder_id, user_id, to_timestamp($1 / 1000.0) + (random() * interval '5 seconds') FROM t`,
        [start],
      );
      await extra.start();
      await eventually(
        'every notification written',
        async () => {
          const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications');
          return expect(rows[0]!.n).toBe(10_000);
        },
        60_000,
        250,
      );
      await Promise.all([extra.whenIdle(), t.events.drained()]);
      const { rows } = await t.db.query<{
        notifications: number;
        tasks: number;
        unfired: number;
        max_late_ms: number;
        users: number;
      }>(
        `SELECT (SELECT count(*)::int FROM notifications) AS notifications,
                (SELECT count(DISTINCT task_id)::int FROM notifications) AS tasks,
                (SELECT count(DISTINCT user_id)::int FROM notifications) AS users,
                (SELECT count(*)::int FROM reminder_schedule WHERE fired_at IS NULL) AS unfired,
                (SELECT (extract(epoch FROM max(fired_at - fire_at)) * 1000)::float8 FROM reminder_schedule) AS max_late_ms`,
      );
      expect(rows[0]).toMatchObject({ notifications: 10_000, tasks: 10_000, users: 100, unfired: 0 });
      expect(rows[0]!.max_late_ms).toBeLessThan(1000);
      expect(extra.fired).toBeGreaterThan(0);
      expect(t.events.reminders!.fired).toBeGreaterThan(0);
      expect(extra.fired + t.events.reminders!.fired).toBe(10_000);
    } finally {
      await extra.stop();
      await t.close();
    }
  }, 120_000);
});
