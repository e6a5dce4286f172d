/**
 * `npm run bench:events`: on a real Kafka broker and real PostgreSQL, the sustained rate of
 * task mutation → outbox → bus → consumer effect applied, and the end-to-end latency at 1,000 events/s, for
 * both event buses in one run: `EVENT_BUS=kafka` (the API's kafkajs publisher and consumer group) and
 * `EVENT_BUS=dapr` (a real daprd publishing to the same Kafka and delivering to the API's HTTP routes), with
 * the ratio dapr/kafka and the sidecar's CPU and RSS; beside them, kafkajs producing and consuming the same
 * volume directly (the ceiling). Phases: event-pipeline.ts.
 *
 * Knobs: BENCH_EVENTS (events per sustained round, default 40,000), BENCH_ROUNDS (3), BENCH_WARMUP (task
 * mutations, 5,000), BENCH_LATENCY_SECONDS (10), BENCH_POOL (20), BENCH_BUSES (`kafka,dapr`).
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@todo/contract';
import { createDatabase, useKafka, usePostgres } from '@todo/infra';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { PostgresDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { startBenchSidecar } from './dapr-sidecar.js';
import {
  measurePipeline,
  PER_MUTATION,
  type PipelineOptions,
  type PipelineResult,
} from './event-pipeline.js';
import { measureKafkaCeiling } from './kafka-ceiling.js';
import { fmt } from './stats.js';

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const OPTIONS: PipelineOptions = {
  events: knob('BENCH_EVENTS', 40_000),
  rounds: knob('BENCH_ROUNDS', 3),
  warmupMutations: knob('BENCH_WARMUP', 5000),
  rate: 1000,
  latencySeconds: knob('BENCH_LATENCY_SECONDS', 10),
};
const BUSES = (process.env.BENCH_BUSES ?? 'kafka,dapr').split(',').map((b) => b.trim());

interface Servers {
  brokers: string[];
  postgresUrl: string;
  /** Harness server processes whose CPU is reported (absent when KAFKA_BROKERS / DATABASE_URL name others). */
  pids: Record<string, number>;
}

/** A fresh database and topic prefix per bus, so neither side sees the other's rows or records. */
async function freshTenant(servers: Servers) {
  const suffix = randomBytes(4).toString('hex');
  const url = await createDatabase(servers.postgresUrl, `events_${suffix}`);
  const db = new PostgresDatabase(url, { poolSize: knob('BENCH_POOL', 20) });
  await migrate(db);
  return { url, db, prefix: `bench${suffix}` };
}

const common = { CONSOLE_DIR: '/nonexistent' };
const processes = (servers: Servers, extra: Record<string, number> = {}) => ({
  'node (writers, API)': process.pid,
  ...servers.pids,
  ...extra,
});

async function kafkaSide(servers: Servers): Promise<PipelineResult> {
  const { url, db, prefix } = await freshTenant(servers);
  const config = loadConfig({
    ...common,
    DATABASE_URL: url,
    EVENT_BUS: 'kafka',
    KAFKA_BROKERS: servers.brokers.join(','),
    TOPIC_PREFIX: prefix,
  });
  const { server, events } = await buildApp({ config, db, logger: pino({ level: 'warn' }) });
  try {
    await server.ready();
    return await measurePipeline('kafka', db, events, { ...OPTIONS, processes: processes(servers) });
  } finally {
    await server.close();
    await db.close();
  }
}

/** The API listens on a real port: the sidecar delivers each subscription to its HTTP routes. */
async function daprSide(servers: Servers): Promise<PipelineResult> {
  const { url, db, prefix } = await freshTenant(servers);
  const dapr = await startBenchSidecar({ brokers: servers.brokers, topicPrefix: prefix, databaseUrl: url });
  try {
    const config = loadConfig({ ...dapr.apiEnv, ...common, DATABASE_URL: url });
    const { server, events } = await buildApp({ config, db, logger: pino({ level: 'warn' }) });
    try {
      await server.listen({ host: '127.0.0.1', port: dapr.appPort });
      await dapr.sidecar.appConnected();
      const daprd = dapr.sidecar.pids[0]!;
      return await measurePipeline('dapr', db, events, {
        ...OPTIONS,
        processes: processes(servers, { daprd }),
      });
    } finally {
      await server.close();
    }
  } catch (err) {
    console.error(`daprd log:\n${await dapr.sidecar.logTail()}`);
    throw err;
  } finally {
    await dapr.stop();
    await db.close();
  }
}

function report(
  results: Record<string, PipelineResult>,
  ceiling: { eventsPerSec: number; latencyMs: PipelineResult['latency'] },
) {
  const buses = Object.keys(results);
  const row = (measure: string, cells: string[]) => console.log(`| ${measure} | ${cells.join(' | ')} |`);
  const ratio = (a: number, b: number) => fmt(a / b, 2);
  const both = results.kafka && results.dapr;
  console.log(
    `\n| measure | ${buses.map((b) => `EVENT_BUS=${b}`).join(' | ')} | ceiling (kafkajs direct) |${both ? ' dapr/kafka |' : ''}`,
  );
  console.log(`| --- |${' ---: |'.repeat(buses.length + 1 + (both ? 1 : 0))}`);
  const line = (measure: string, pick: (r: PipelineResult) => number, ceilingValue: number, digits = 1) =>
    row(measure, [
      ...buses.map((b) => fmt(pick(results[b]!), digits)),
      fmt(ceilingValue, digits),
      ...(both ? [ratio(pick(results.dapr!), pick(results.kafka!))] : []),
    ]);
  line(`sustained events/s (median of ${OPTIONS.rounds})`, (r) => r.sustained, ceiling.eventsPerSec, 0);
  line('writes alone, events/s written (bound)', (r) => r.writesAlone * PER_MUTATION, Number.NaN, 0);
  for (const p of ['p50', 'p95', 'p99'] as const)
    line(`latency ${p} at ${OPTIONS.rate}/s (ms)`, (r) => r.latency[p], ceiling.latencyMs[p]);
  for (const p of ['p50', 'p95', 'p99'] as const)
    line(`of which outbox → published, ${p} (ms)`, (r) => r.relayLatency[p], Number.NaN);

  // CPU counts a process's children (PostgreSQL's backends); RSS is the process's own (the postmaster alone),
  // since summing backends would count shared buffers once per backend.
  console.log('\nCPU (% of one core, with its children) and peak RSS (MB, the process alone) per process:');
  console.log('| bus | phase | process | CPU % | peak RSS MB |');
  console.log('| --- | --- | --- | ---: | ---: |');
  for (const bus of buses) {
    for (const [phase, use] of [
      ['sustained', results[bus]!.sustainedUse],
      ['latency', results[bus]!.latencyUse],
    ] as const) {
      for (const [name, u] of Object.entries(use))
        console.log(`| ${bus} | ${phase} | ${name} | ${fmt(u.cpuPercent, 0)} | ${fmt(u.peakRssMb, 0)} |`);
    }
  }

  for (const [bus, r] of Object.entries(results))
    console.log(
      `\n${bus}: sustained ${fmt(r.sustained, 0)}/s (≥ 5,000, ratio ${ratio(r.sustained, 5000)}), p95 ${fmt(r.latency.p95)} ms at ${OPTIONS.rate}/s (≤ 50, ratio ${ratio(r.latency.p95, 50)}), throughput vs ceiling ${ratio(r.sustained, ceiling.eventsPerSec)} (≥ 0.5)`,
    );
  if (both)
    console.log(
      `dapr/kafka sustained ${ratio(results.dapr!.sustained, results.kafka!.sustained)} (target ≥ 0.7); dapr p95 ${fmt(results.dapr!.latency.p95)} ms at ${OPTIONS.rate}/s (target ≤ 50)`,
    );
}

async function main(): Promise<void> {
  const kafka = await useKafka();
  const postgres = await usePostgres();
  const servers: Servers = {
    brokers: kafka.brokers,
    postgresUrl: postgres.url,
    pids: {
      ...(kafka.server?.pids[0] ? { kafka: kafka.server.pids[0] } : {}),
      ...(postgres.server?.pids[0] ? { postgres: postgres.server.pids[0] } : {}),
    },
  };
  try {
    const results: Record<string, PipelineResult> = {};
    for (const bus of BUSES) {
      if (bus === 'kafka') results.kafka = await kafkaSide(servers);
      else if (bus === 'dapr') results.dapr = await daprSide(servers);
      else throw new Error(`BENCH_BUSES: unknown bus "${bus}" (kafka, dapr)`);
    }
    console.log('ceiling: kafkajs producing and consuming the same volume directly…');
    const ceiling = await measureKafkaCeiling({
      brokers: kafka.brokers,
      topic: `bench${randomBytes(3).toString('hex')}-ceiling`,
      events: OPTIONS.events,
      ratePerSec: OPTIONS.rate,
      latencyEvents: OPTIONS.rate * OPTIONS.latencySeconds,
    });
    report(results, ceiling);
  } finally {
    await kafka.stop();
    await postgres.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
