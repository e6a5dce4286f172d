import { randomBytes } from 'node:crypto';
import { createDatabase, type KafkaServer, startKafka } from '@todo/infra';
import { eventually, type ServerProcess } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresDatabase } from '../../src/db/database.js';
import { startApiProcess } from '../support/api-process.js';

/** Counts that must match exactly once every event has had its one effect. */
async function effects(db: PostgresDatabase) {
  const { rows } = await db.query<{
    undelivered: number;
    task_events: number;
    activity: number;
    successors: number;
    series_over: number;
  }>(
    `SELECT (SELECT count(*)::int FROM outbox) AS undelivered,
            (SELECT count(*)::int FROM outbox_log WHERE topics[1] LIKE '%.task-events') AS task_events,
            (SELECT count(*)::int FROM activity) AS activity,
            (SELECT count(*)::int FROM tasks WHERE occurrence = 2) AS successors,
            (SELECT count(*)::int FROM (SELECT series_id FROM tasks WHERE series_id IS NOT NULL GROUP BY series_id HAVING count(*) > 2) s) AS series_over`,
  );
  return rows[0]!;
}

describe('Kafka outage and relay crash (real broker, real PostgreSQL)', () => {
  let kafka: KafkaServer;
  let db: PostgresDatabase;
  let api: ServerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    kafka = await startKafka();
    const url = await createDatabase(inject('postgresUrl'), `k_${randomBytes(5).toString('hex')}`);
    db = new PostgresDatabase(url, { poolSize: 4 });
    env = {
      DATABASE_URL: url,
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: kafka.brokers.join(','),
      TOPIC_PREFIX: `t${randomBytes(3).toString('hex')}`,
      OUTBOX_BATCH_SIZE: '20',
    };
    api = await startApiProcess(env);
  }, 300_000);
  afterAll(async () => {
    await api?.stop('SIGTERM');
    await db?.close();
    await kafka?.stop();
  });

  const call = async (method: string, path: string, token: string, body?: object) => {
    const res: Response = await fetch(`${api!.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).catch((err: unknown) => {
      // The process went away: say why, from what it logged.
      throw new Error(`${method} ${path}: ${String(err)}\n${api!.output().slice(-4000)}`);
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as { id: string };
  };

  const signUp = async (email: string) => {
    const res = await fetch(`${api!.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough' }),
    });
    if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };

  /** The counts once every event has had its effect: nothing undelivered, an activity entry per task event. */
  const settled = (what: string, successors: number) =>
    eventually(
      what,
      async () => {
        const e = await effects(db);
        expect(e.undelivered).toBe(0);
        expect(e.successors).toBe(successors);
        expect(e.activity).toBe(e.task_events);
        return e;
      },
      120_000,
      500,
    );

  it('accepts 1,000 mutations while the broker is down and applies each event exactly once after it returns', async () => {
    const token = await signUp('outage@example.com');
    await kafka.stopBroker();
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) {
      const task = await call('POST', '/tasks', token, {
        title: `recurring ${i}`,
        dueAt: '2030-01-01T09:00:00Z',
        recurrence: { rule: 'FREQ=DAILY' },
      });
      ids.push(task.id);
    }
    for (const id of ids) await call('PATCH', `/tasks/${id}`, token, { priority: 'high' });
    for (const id of ids) await call('POST', `/tasks/${id}/complete`, token);
    for (let i = 0; i < 250; i++) await call('POST', '/tasks', token, { title: `plain ${i}` });
    const during = await effects(db);
    expect(during.task_events).toBe(1000);
    // One outbox row per mutation, bound for task-events and task-updates.
    expect(during.undelivered).toBe(1000);
    expect(during.activity).toBe(0);

    await kafka.startBroker();
    const after = await settled('every effect of the first batch', 250);
    // 1,000 mutations plus the 250 successors' own created events.
    expect(after.task_events).toBe(1250);
    expect(after.series_over).toBe(0);
  }, 300_000);

  it('loses nothing and duplicates no effect when the API is killed mid-relay', async () => {
    const token = await signUp('crash@example.com');
    await kafka.stopBroker();
    for (let i = 0; i < 400; i++) {
      const task = await call('POST', '/tasks', token, {
        title: `crash ${i}`,
        dueAt: '2030-01-01T09:00:00Z',
        recurrence: { rule: 'FREQ=WEEKLY' },
      });
      await call('POST', `/tasks/${task.id}/complete`, token);
    }
    await kafka.startBroker();
    // Kill -9 as soon as the relay has delivered some but not all of the backlog.
    await eventually(
      'part of the second batch delivered',
      async () => {
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_delivered');
        return rows[0]!.n > 1250;
      },
      120_000,
      5,
    );
    await api!.stop('SIGKILL');
    const midway = await effects(db);
    expect(midway.undelivered).toBeGreaterThan(0);
    api = await startApiProcess(env);
    const final = await settled('every effect after the restart', 650);
    expect(final.series_over).toBe(0);
  }, 300_000);
});
