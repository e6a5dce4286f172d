/**
 * The phases `npm run bench:events` measures on one event bus (Kafka through kafkajs, or Dapr's sidecar): writes
 * alone, a warm-up, the sustained rate until every effect is applied, and the latency at a fixed rate. An "event"
 * is one CloudEvent record: each task mutation publishes two (its `task-events` event and its `task-updates`
 * live update), each applied by a consumer (the audit trail, the stream log) in its own idempotent transaction.
 */
import { createTaskBody } from '@todo/contract';
import type { PostgresDatabase } from '../src/db/database.js';
import type { EventSystem } from '../src/events/event-system.js';
import { TaskService } from '../src/tasks/task.service.js';
import { cpuMeter, ownCpuSeconds, rssSampler, treeCpuSeconds } from './cpu-usage.js';
import { fmt, percentiles } from './stats.js';

/** CloudEvents published per task mutation. */
export const PER_MUTATION = 2;
const USERS = 100;
const WRITERS = 50;

export interface PipelineOptions {
  /** Events per sustained round. */
  events: number;
  rounds: number;
  /** Mutations in the warm-up after the write-only backlog. */
  warmupMutations: number;
  /** The fixed rate of the latency phase, events/s, and how long it lasts. */
  rate: number;
  latencySeconds: number;
  /** Processes whose CPU (% of one core) and RSS are sampled in the sustained and latency phases, by name. */
  processes?: Record<string, number>;
}

type Percentiles = ReturnType<typeof percentiles>;

export interface ProcessUse {
  cpuPercent: number;
  peakRssMb: number;
}

export interface PipelineResult {
  /** Mutations/s the writers reach with no relay and no consumer running. */
  writesAlone: number;
  rounds: number[];
  /** Median of the rounds, events/s end to end. */
  sustained: number;
  achievedRate: number;
  latency: Percentiles;
  /**
   * Of that, outbox commit → the relay's publish acknowledged (`delivered_at`, written once its whole batch
   * is): what the publishing side adds; the rest is the bus delivering and the consumer applying.
   */
  relayLatency: Percentiles;
  sustainedUse: Record<string, ProcessUse>;
  latencyUse: Record<string, ProcessUse>;
}

/** CPU and peak RSS of each named process over a stretch of time. */
function processUse(processes: Record<string, number>) {
  const cpu = cpuMeter(
    Object.fromEntries(
      Object.entries(processes).map(([n, pid]) => [
        n,
        // The servers this process started are its children: count only its own threads.
        pid === process.pid ? ownCpuSeconds : () => treeCpuSeconds(pid),
      ]),
    ),
  );
  const rss = Object.fromEntries(Object.entries(processes).map(([n, pid]) => [n, rssSampler(pid)]));
  return (): Record<string, ProcessUse> => {
    const shares = cpu();
    return Object.fromEntries(
      Object.entries(rss).map(([n, sampler]) => [
        n,
        { cpuPercent: shares[n]!, peakRssMb: sampler.stop() / 2 ** 20 },
      ]),
    );
  };
}

/**
 * Runs the phases on an app whose event backbone is built but not started; `label` prefixes the progress lines.
 * Mutations go through the API's own write path (TaskService with the app's change recorder) without HTTP in
 * front: bench:api measures HTTP, this measures what follows a write.
 */
export async function measurePipeline(
  label: string,
  db: PostgresDatabase,
  events: EventSystem,
  o: PipelineOptions,
): Promise<PipelineResult> {
  const log = (line: string) => console.log(`[${label}] ${line}`);
  // A hundred tenants' users, as in bench:api: mutations spread over users the way a shared API sees them
  // (one user's 20,000 tasks would make every index insert fight over the same rightmost leaf pages).
  const users = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);
  await db.query(
    `INSERT INTO users (id, email, password_hash) SELECT u, u || '@bench.example', 'scrypt$1$1$1$x$y' FROM unnest($1::text[]) u`,
    [users],
  );
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
      if (Date.now() > deadline) throw new Error(`only ${await applied()} of ${target} effects applied`);
      // Counting costs the database a scan: poll often enough to time a drain, not so often as to slow it.
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // WRITERS concurrent writers create `n` tasks as fast as they can; resolves with the seconds it took.
  let next = 0;
  const write = async (n: number) => {
    const t0 = performance.now();
    const end = next + n;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
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

  const mutations = o.events / PER_MUTATION;
  // The bound every pipeline starting from our write path has here: the same writers with no relay and no
  // consumer running (after 2,000 writes to warm V8 and the pool). The backlog is delivered afterwards.
  const writeOnly = async (n: number) => n / (await write(n));
  await writeOnly(Math.min(2000, mutations));
  const writesAlone = await writeOnly(mutations);
  log(
    `writes alone (no relay, no consumer): ${fmt(writesAlone, 0)} mutations/s = ${fmt(writesAlone * PER_MUTATION, 0)} events/s written`,
  );

  await events.start();
  // Warm-up, not measured: the backlog above, connections, the consumer group's join, and both JITs (V8's
  // and the broker JVM's, which otherwise compiles its hot paths on the measured run's CPU).
  log(`warm-up: the backlog and ${o.warmupMutations} task mutations…`);
  await waitApplied(next * PER_MUTATION, 300_000);
  await burst(o.warmupMutations);

  log(`sustained: ${o.rounds} rounds of ${mutations} task mutations (${o.events} events)…`);
  const rounds: number[] = [];
  const sustainedUse = processUse(o.processes ?? {});
  for (let round = 0; round < o.rounds; round++) {
    const r = await burst(mutations);
    rounds.push(r.eventsPerSec);
    log(`  ${fmt(r.eventsPerSec, 0)} events/s end to end (the writes took ${fmt(r.written, 1)} s)`);
  }
  const sustainedShares = sustainedUse();
  const sustained = [...rounds].sort((a, b) => a - b)[Math.floor(o.rounds / 2)]!;
  log(`  median of ${o.rounds}: ${fmt(sustained, 0)} events/s`);
  const base = await applied();

  // Latency at a fixed rate: outbox commit → the consumer's effect transaction.
  log(`latency: ${o.rate} events/s for ${o.latencySeconds} s…`);
  const marker = new Date();
  const total = o.rate * o.latencySeconds;
  const latencyUse = processUse(o.processes ?? {});
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total / PER_MUTATION; i++) {
    const due = started + (i * 1000 * PER_MUTATION) / o.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(create(next++));
  }
  await Promise.all(inflight);
  const achievedRate = total / ((performance.now() - started) / 1000);
  await waitApplied(base + total, 300_000);
  const latencyShares = latencyUse();
  const { rows } = await db.query<{ ms: number; relay_ms: number }>(
    `SELECT (extract(epoch FROM e.applied_at - o.created_at) * 1000)::float8 AS ms,
            (extract(epoch FROM o.delivered_at - o.created_at) * 1000)::float8 AS relay_ms
     FROM (SELECT event_id, recorded_at AS applied_at FROM activity
           UNION ALL SELECT event_id, created_at FROM stream_events) e
     JOIN outbox_log o ON o.event_id = e.event_id
     WHERE o.created_at >= $1`,
    [marker],
  );
  const latency = percentiles(rows.map((r) => r.ms));
  const relayLatency = percentiles(rows.map((r) => r.relay_ms));
  log(
    `  achieved ${fmt(achievedRate, 0)} events/s; p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms, p99 ${fmt(latency.p99)} ms (relay alone: p50 ${fmt(relayLatency.p50)}, p95 ${fmt(relayLatency.p95)} ms)`,
  );
  return {
    writesAlone,
    rounds,
    sustained,
    achievedRate,
    latency,
    relayLatency,
    sustainedUse: sustainedShares,
    latencyUse: latencyShares,
  };
}
