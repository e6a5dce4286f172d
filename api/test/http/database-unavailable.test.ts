import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RETRY_AFTER_UNAVAILABLE_SECONDS, registerProblemHandlers } from '../../src/http/problem.js';
import { problemOf, useTestApp } from '../support/test-app.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('the answer to a request whose dependency failed', () => {
  const app = Fastify();
  let thrown: unknown;
  beforeAll(async () => {
    registerProblemHandlers(app);
    app.get('/', async () => {
      throw thrown;
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it.each<[string, unknown]>([
    ['the database shutting down (57P01)', withCode('57P01', 'terminating connection')],
    [
      'a database closed to connections (55000, FATAL)',
      Object.assign(withCode('55000', 'database "t" is not currently accepting connections'), {
        severity: 'FATAL',
      }),
    ],
    ['too many connections (53300)', withCode('53300')],
    ['a deadlock (40P01)', withCode('40P01')],
    ['nobody listening (ECONNREFUSED)', withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:5432')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
  ])('is a 503 with Retry-After for %s, and says nothing of the cause', async (_, err) => {
    thrown = err;
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_UNAVAILABLE_SECONDS));
    const problem = problemOf(res);
    expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(res.body).not.toMatch(/5432|terminat|accepting|ECONN|deadlock|"t"/);
  });

  it.each<[string, unknown]>([
    ['a bug', new Error('undefined is not a function')],
    ['an undefined column (42703)', withCode('42703', 'column "x" does not exist')],
    ['a broken constraint (23505) no route turned into a 409', withCode('23505', 'duplicate key')],
  ])('stays a 500 without Retry-After for %s', async (_, err) => {
    thrown = err;
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(problemOf(res).detail).toBe('Something went wrong on our side.');
  });
});

describe("a tenant's database that is unreachable for a while", () => {
  const t = useTestApp('postgres');
  let admin: pg.Client;
  let database: string;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    database = (await t.db.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
  });
  afterAll(() => admin.end());

  /** Refuses new connections to the app's database and ends the open ones, as a restart or fail-over does. */
  const outage = async (during: () => Promise<void>) => {
    const name = pg.escapeIdentifier(database);
    await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      await during();
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    }
  };

  it('answers reads and writes with a 503 and Retry-After, changes nothing, and serves them again once it is back', async () => {
    const title = `written during the outage ${Math.random()}`;
    await outage(async () => {
      const read = await t.server.inject({ url: '/api/v1/tasks', headers: t.auth });
      expect(read.statusCode).toBe(503);
      expect(read.headers['retry-after']).toBe(String(RETRY_AFTER_UNAVAILABLE_SECONDS));
      expect(problemOf(read).status).toBe(503);
      const write = await t.server.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: t.auth,
        payload: { title },
      });
      expect(write.statusCode).toBe(503);
      expect(write.body).not.toContain(database);
    });
    const after = await t.server.inject({ url: '/api/v1/tasks?limit=200', headers: t.auth });
    expect(after.statusCode).toBe(200);
    expect(after.json().items.map((task: { title: string }) => task.title)).not.toContain(title);
  });
});
