/**
 * `npm run bench:api`: autocannon against the real API process (`npm start`'s entry point) on real
 * PostgreSQL with 100 users × 1,000 tasks; beside each operation, the same SQL issued directly through the
 * API's database layer with a pool of the same size (the ceiling), and the ratio. A write's SQL includes
 * its events: the ceiling's go through the same outbox, relay and consumers as the API's. Durations: BENCH_SECONDS
 * (default 20); a subset of operations: BENCH_OPS (comma list of list, search, create, complete).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTaskBody, listTasksQuery } from '@todo/contract';
import { createDatabase, usePostgres } from '@todo/infra';
import autocannon from 'autocannon';
import { PostgresDatabase } from '../src/db/database.js';
import { taskChangeRecorder } from '../src/events/task-change-recorder.js';
import { TaskService } from '../src/tasks/task.service.js';
import { listPageSql } from '../src/tasks/task-page-json.js';
import { buildListQuery } from '../src/tasks/task-query.js';
import { TASK_COLUMNS } from '../src/tasks/task-row.js';
import { buildApi, outboxDrained, seed, startApi, WORDS } from './api-under-test.js';
import { closedLoop, fmt, percentiles } from './stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 100;
const USERS = 100;
const TASKS_PER_USER = 1000;
const POOL = Number(process.env.BENCH_POOL ?? 20);
/** BENCH_OPS=list,search runs only those operations (default: all four). */
const OPS = new Set((process.env.BENCH_OPS ?? 'list,search,create,complete').split(','));

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

interface Row {
  op: string;
  api: { perSec: number; p50: number; p95: number; p99: number; errors: number };
  ceiling: { perSec: number; p50: number; p95: number; p99: number };
  /** Writes: the write statement alone, its events written where nothing reads them (for comparison). */
  statementOnly?: { perSec: number };
}

async function main(): Promise<void> {
  buildApi();
  const pgAccess = await usePostgres();
  const url = await createDatabase(pgAccess.url, `bench_${randomBytes(4).toString('hex')}`);
  const users = await seed(url, USERS, TASKS_PER_USER);
  const api = await startApi(url, users, POOL);
  const { base, tokenOf } = api;
  const bearer = users.map((u) => tokenOf.get(u)!);

  // The ceiling's client is the API's own database layer with the same pool size and settings (prepared
  // statements; full-text queries planned per call), so the ceiling is what that SQL can do at best.
  const ceilingDb = new PostgresDatabase(url, { poolSize: POOL, prepare: true });
  const userOf = (i: number) => users[i % USERS]!;
  const openIds = (
    await ceilingDb.query<{ id: string; user_id: string }>('SELECT id, user_id FROM tasks ORDER BY random()')
  ).rows;
  const rows: Row[] = [];

  interface Spec {
    method: 'GET' | 'POST';
    path: string;
    body?: string;
    /** Whose token to send; by default the users take turns. */
    user?: string;
  }
  const cannon = (title: string, setup: (n: number) => Spec): Promise<Row['api']> =>
    new Promise((resolve, reject) => {
      let n = 0;
      const samples: number[] = [];
      const instance = autocannon(
        {
          url: base,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [
            {
              setupRequest: (req) => {
                const i = n++;
                const spec = setup(i);
                const token = spec.user ? tokenOf.get(spec.user)! : bearer[i % USERS]!;
                return {
                  ...req,
                  method: spec.method,
                  path: spec.path,
                  ...(spec.body ? { body: spec.body } : {}),
                  headers: {
                    ...(spec.body ? { 'content-type': 'application/json' } : {}),
                    authorization: `Bearer ${token}`,
                  },
                };
              },
            },
          ],
        },
        (err, result) => {
          if (err) return reject(err);
          const errors = result.errors + result.non2xx;
          const p = percentiles(samples);
          console.log(
            `  api ${title}: ${fmt(result.requests.average, 0)} req/s, p99 ${fmt(p.p99)} ms, errors ${errors}`,
          );
          resolve({ perSec: result.requests.average, ...p, errors });
        },
      );
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        samples.push(responseTime),
      );
    });

  // List (default filters: open, by due date, 50 per page).
  const listQuery = listTasksQuery.parse({});
  if (OPS.has('list'))
    rows.push({
      op: 'list',
      api: await cannon('list', () => ({ method: 'GET', path: '/api/v1/tasks' })),
      ceiling: await closedLoop(CONNECTIONS, SECONDS * 1000, async (w, i) => {
        const q = buildListQuery(userOf(w * 7 + i), listQuery, TASK_COLUMNS);
        await ceilingDb.query(listPageSql(q.sql), q.params);
      }),
    });

  // Full-text search.
  if (OPS.has('search'))
    rows.push({
      op: 'search (q)',
      api: await cannon('search', (n) => ({
        method: 'GET',
        path: `/api/v1/tasks?q=${WORDS[n % WORDS.length]}`,
      })),
      ceiling: await closedLoop(CONNECTIONS, SECONDS * 1000, async (w, i) => {
        const q = buildListQuery(
          userOf(w * 7 + i),
          listTasksQuery.parse({ q: WORDS[i % WORDS.length] }),
          TASK_COLUMNS,
        );
        await ceilingDb.query(listPageSql(q.sql), q.params, { planPerCall: true });
      }),
    });

  // Writes. The ceiling is the API's write path without HTTP: the same statements, built by the same
  // service, into the same outbox, so the API process's relay and consumers (EVENT_BUS=memory) do for the
  // ceiling's writes exactly what they do for the API's — every write costs the database its events too.
  // Beside it, for comparison, the write statement alone: the same row and an event of the same size
  // written to a copy of the outbox (same columns, same indexes) that no relay reads.
  const service = new TaskService(
    ceilingDb,
    taskChangeRecorder({ topicPrefix: undefined, scheduleRemindersInDatabase: true }),
  );
  const createInput = createTaskBody.parse({ title: 'benchmark task', tags: ['bench'] });
  // After a phase of writes, the relay and consumers finish its events before the next phase is timed.
  const settled = async <T>(result: T): Promise<T> => {
    await outboxDrained(ceilingDb);
    return result;
  };
  await ceilingDb.query('CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL)');
  const sampleEvent = JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    source: '/todo-api',
    type: 'todo.task.created',
    data: { title: 'benchmark task', tags: ['bench'], reminders: [], padding: 'x'.repeat(600) },
  });
  const topics = ['task-events', 'task-updates'];
  const createTx = async (user: string) => {
    const id = randomUUID();
    await ceilingDb.query(
      `WITH t AS (INSERT INTO tasks (id, user_id, title, tags, created_at, updated_at) VALUES ($1, $2, 'benchmark task', '{bench}', now(), now())
         RETURNING ${TASK_COLUMNS}),
       events AS (INSERT INTO bench_outbox (event_id, topics, key, event) VALUES ($3, $4::text[], $1, $5::jsonb))
       SELECT t.*, pg_notify('todo_bench', '') AS notified FROM t`,
      [id, user, randomUUID(), topics, sampleEvent],
    );
  };
  const outboxSql = `WITH inserted AS (INSERT INTO bench_outbox (event_id, topics, key, event)
      VALUES ($1, $2::text[], $3, $4::jsonb) RETURNING 1)
    SELECT pg_notify('todo_bench', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`;

  if (OPS.has('create'))
    rows.push({
      op: 'create',
      api: await settled(
        await cannon('create', () => ({
          method: 'POST',
          path: '/api/v1/tasks',
          body: JSON.stringify({ title: 'benchmark task', tags: ['bench'] }),
        })),
      ),
      ceiling: await settled(
        await closedLoop(CONNECTIONS, SECONDS * 1000, async (w, i) => {
          await service.create(userOf(w * 7 + i), createInput);
        }),
      ),
      statementOnly: await closedLoop(CONNECTIONS, SECONDS * 1000, (w, i) => createTx(userOf(w * 7 + i))),
    });

  // Complete: each request completes a different open task.
  let next = 0;
  const third = Math.floor(openIds.length / 3);
  const apiIds = openIds.slice(0, third);
  const ceilingIds = openIds.slice(third, 2 * third);
  const sqlIds = openIds.slice(2 * third);
  if (OPS.has('complete'))
    rows.push({
      op: 'complete',
      api: await settled(
        await cannon('complete', () => {
          const t = apiIds[next++ % apiIds.length]!;
          return { method: 'POST', path: `/api/v1/tasks/${t.id}/complete`, user: t.user_id };
        }),
      ),
      ceiling: await settled(
        await (async () => {
          let k = 0;
          return closedLoop(CONNECTIONS, SECONDS * 1000, async () => {
            const t = ceilingIds[k++ % ceilingIds.length]!;
            await service.complete(t.user_id, t.id);
          });
        })(),
      ),
      statementOnly: await (async () => {
        let k = 0;
        return closedLoop(CONNECTIONS, SECONDS * 1000, async () => {
          const t = sqlIds[k++ % sqlIds.length]!;
          await ceilingDb.transaction(async (tx) => {
            await tx.query(
              `UPDATE tasks SET completed = true, completed_at = now(), updated_at = now(), version = version + 1
               WHERE id = $1 AND user_id = $2 AND completed <> true RETURNING ${TASK_COLUMNS}`,
              [t.id, t.user_id],
            );
            await tx.query(outboxSql, [randomUUID(), topics, t.id, sampleEvent]);
          });
        });
      })(),
    });

  const rss = peakRssMb(api.process.pid!);

  console.log(
    `\n| operation | API req/s | API p50 / p95 / p99 ms | ceiling (same SQL, pg pool) req/s | ceiling p50 / p95 / p99 ms | API / ceiling | write statement alone req/s |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.op} | ${fmt(r.api.perSec, 0)} | ${fmt(r.api.p50)} / ${fmt(r.api.p95)} / ${fmt(r.api.p99)} | ${fmt(r.ceiling.perSec, 0)} | ${fmt(r.ceiling.p50)} / ${fmt(r.ceiling.p95)} / ${fmt(r.ceiling.p99)} | ${fmt(r.api.perSec / r.ceiling.perSec, 2)} | ${r.statementOnly ? fmt(r.statementOnly.perSec, 0) : '–'} |`,
    );
  }
  const list = rows.find((r) => r.op === 'list');
  const create = rows.find((r) => r.op === 'create');
  const targets = [
    list && `list p99 ${fmt(list.api.p99)} ms (≤ 30, ratio ${fmt(list.api.p99 / 30, 2)})`,
    create && `create ${fmt(create.api.perSec, 0)}/s (≥ 1,500, ratio ${fmt(create.api.perSec / 1500, 2)})`,
    `peak RSS ${fmt(rss)} MB (≤ 200, ratio ${fmt(rss / 200, 2)})`,
  ];
  console.log(`\nTargets: ${targets.filter(Boolean).join(', ')}`);
  console.log(`Errors (non-2xx or socket): ${rows.map((r) => `${r.op} ${r.api.errors}`).join(', ')}`);

  await api.stop();
  await ceilingDb.close();
  await pgAccess.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
