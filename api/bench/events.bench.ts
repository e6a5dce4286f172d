/**
 * `npm run bench:events`: on a real Kafka broker and real PostgreSQL, the sustained rate of
 * task mutation → outbox → Kafka → consumer effect applied, and the end-to-end latency at 1,000 events/s;
 * beside it, kafkajs producing and consuming the same volume directly (the ceiling) and the ratio.
 * An "event" is one CloudEvent record, as in the ceiling: each task mutation publishes two (its
 * `task-events` event and its `task-updates` live update), and each is applied by a consumer (the audit
 * trail and the stream log respectively) in its own idempotent transaction.
 */
import { randomBytes } from 'node:crypto';
import { createTaskBody, loadConfig } from '@todo/contract';
import { createDatabase, useKafka, usePostgres } from '@todo/infra';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { PostgresDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { TaskService } from '../src/tasks/task.service.js';
import { measureKafkaCeiling } from './kafka-ceiling.js';
import { fmt, percentiles } from './stats.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
/** CloudEvents published per task mutation. */
const PER_MUTATION = 2;
const RATE = 1000;
const USERS = 100;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
/** Sustained runs; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_MUTATIONS = 5000;

async function main(): Promise<void> {
  const kafka = await useKafka();
  const postgres = await usePostgres();
  const url = await createDatabase(postgres.url, `events_${randomBytes(4).toString('hex')}`);
  const db = new PostgresDatabase(url, { poolSize: Number(process.env.BENCH_POOL ?? 20) });
  await migrate(db);
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: url,
    EVENT_BUS: 'kafka',
    KAFKA_BROKERS: kafka.brokers.join(','),
    TOPIC_PREFIX: prefix,
    CONSOLE_DIR: '/nonexistent',
  });
  const { server, events } = await buildApp({ config, db, logger: pino({ level: 'warn' }) });
  await server.ready();
  // A hundred tenants' users, as in bench:api: mutations spread over users the way a shared API sees them
  // (one user's 20,000 tasks would make every index insert fight over the same rightmost leaf pages).
  const users = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);
  await db.query(
    `INSERT INTO users (id, email, password_hash) SELECT u, u || '@bench.example', 'scrypt$1$1$1$x$y' FROM unnest($1::text[]) u`,
    [users],
  );
  // Mutations go through the API's own write path (TaskService with the app's change recorder), without
  // HTTP in front: bench:api measures HTTP; this measures what follows a write.
  const tasks = new TaskService(db, events.recordTaskChange);
  const create = async (i: number) => {
    await tasks.create(users[i % USERS]!, createTaskBody.parse({ title: `event ${i}`, tags: ['bench'] }));
  };
  // Effects applied: audit-trail entries and stream-log rows (each keyed by its event id).
  const applied = async () =>
    (
      await db.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM activity)::int + (SELECT count(*) FROM stream_events)::int AS n',
      )
    ).rows[0]!.n;
  const waitApplied = async (target: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while ((await applied()) < target) {
      if (Date.now() > deadline) {
        throw new Error(`only ${await applied()} of ${target} effects applied`);
      }
      // Counting costs the database a scan: poll often enough to time a drain, not so often as to slow it.
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // 50 concurrent writers create `n` tasks as fast as they can; resolves with the seconds it took.
  let next = 0;
  const write = async (n: number) => {
    const t0 = performance.now();
    const end = next + n;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < end) await create(next++);
      }),
    );
    return (performance.now() - t0) / 1000;
  };
  // Sustained: mutations as fast as the writers can go, until every effect is applied.
  const burst = async (mutations: number) => {
    const base = await applied();
    const t0 = performance.now();
    const written = await write(mutations);
    await waitApplied(base + mutations * PER_MUTATION, 300_000);
    return { eventsPerSec: (mutations * PER_MUTATION) / ((performance.now() - t0) / 1000), written };
  };

  const mutations = EVENTS / PER_MUTATION;
  // The bound every pipeline starting from our write path has here: the same writers with no relay and no
  // consumer running (after 2,000 writes to warm V8 and the pool). The backlog is delivered afterwards.
  const writeOnly = async (n: number) => n / (await write(n));
  await writeOnly(2000);
  const writesAlone = await writeOnly(mutations);
  console.log(
    `writes alone (no relay, no consumer): ${fmt(writesAlone, 0)} mutations/s = ${fmt(writesAlone * PER_MUTATION, 0)} events/s written`,
  );

  await events.start();
  // Warm-up, not measured: the backlog above, connections, the consumer group's join, and both JITs (V8's
  // and the broker JVM's, which otherwise compiles its hot paths on the measured run's CPU).
  console.log(`warm-up: the backlog and ${WARMUP_MUTATIONS} task mutations…`);
  await waitApplied(next * PER_MUTATION, 300_000);
  await burst(WARMUP_MUTATIONS);

  console.log(`sustained: ${ROUNDS} rounds of ${mutations} task mutations (${EVENTS} events)…`);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const r = await burst(mutations);
    rounds.push(r.eventsPerSec);
    console.log(`  ${fmt(r.eventsPerSec, 0)} events/s end to end (the writes took ${fmt(r.written, 1)} s)`);
  }
  const sustained = [...rounds].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  console.log(`  median of ${ROUNDS}: ${fmt(sustained, 0)} events/s`);
  const base = await applied();

  // Latency at a fixed 1,000 events/s: outbox commit → the consumer's effect transaction.
  console.log(`latency: ${RATE} events/s for ${LATENCY_SECONDS} s…`);
  const marker = new Date();
  const total = RATE * LATENCY_SECONDS;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total / PER_MUTATION; i++) {
    const due = started + (i * 1000 * PER_MUTATION) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(create(i));
  }
  await Promise.all(inflight);
  const achievedRate = total / ((performance.now() - started) / 1000);
  await waitApplied(base + total, 300_000);
  const { rows } = await db.query<{ ms: number }>(
    `SELECT (extract(epoch FROM e.applied_at - o.created_at) * 1000)::float8 AS ms
     FROM (SELECT event_id, recorded_at AS applied_at FROM activity
           UNION ALL SELECT event_id, created_at FROM stream_events) e
     JOIN outbox_log o ON o.event_id = e.event_id
     WHERE o.created_at >= $1`,
    [marker],
  );
  const latency = percentiles(rows.map((r) => r.ms));
  console.log(
    `  achieved ${fmt(achievedRate, 0)} events/s; p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms, p99 ${fmt(latency.p99)} ms`,
  );

  await server.close();
  await db.close();

  console.log('ceiling: kafkajs producing and consuming the same volume directly…');
  const ceiling = await measureKafkaCeiling({
    brokers: kafka.brokers,
    topic: `${prefix}-ceiling`,
    events: EVENTS,
    ratePerSec: RATE,
    latencyEvents: total,
  });
  await kafka.stop();
  await postgres.stop();

  console.log(
    '\n| measure | pipeline (API → outbox → Kafka → consumer) | ceiling (kafkajs direct) | ratio |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| sustained events/s | ${fmt(sustained, 0)} | ${fmt(ceiling.eventsPerSec, 0)} | ${fmt(sustained / ceiling.eventsPerSec, 2)} |`,
  );
  console.log(
    `| writes alone, events/s written (bound) | ${fmt(writesAlone * PER_MUTATION, 0)} | ${fmt(ceiling.eventsPerSec, 0)} | ${fmt((writesAlone * PER_MUTATION) / ceiling.eventsPerSec, 2)} |`,
  );
  for (const p of ['p50', 'p95', 'p99'] as const) {
    console.log(
      `| latency ${p} at ${RATE}/s (ms) | ${fmt(latency[p])} | ${fmt(ceiling.latencyMs[p])} | ${fmt(ceiling.latencyMs[p] / latency[p], 2)} |`,
    );
  }
  console.log(
    `\nTargets: sustained ${fmt(sustained, 0)}/s (≥ 5,000, ratio ${fmt(sustained / 5000, 2)}), p95 ${fmt(latency.p95)} ms at ${RATE}/s (≤ 50, ratio ${fmt(latency.p95 / 50, 2)}), throughput vs ceiling ${fmt(sustained / ceiling.eventsPerSec, 2)} (≥ 0.5)`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
