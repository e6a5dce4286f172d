/**
 * `npm run bench:latency`: the latency a user sees at a given load. An open loop (requests start on a fixed
 * schedule; latency from each request's scheduled start, so queueing is counted) sends a mixed workload —
 * list 60 %, search 10 %, create 20 %, complete 10 % — over 20 users × 500 tasks to the real API process on
 * real PostgreSQL at a ladder of rates, and the same mix at the same rates through the ceiling (the API's
 * database path without HTTP). Reports p50/p95/p99 per rate, the highest rate held at p99 ≤ 50 ms, and each
 * side's saturation rate (closed loop, 100 in flight) with their ratio.
 * Rates: BENCH_RATES (default 250,500,1000,1500,2000,2500); seconds per rate: BENCH_SECONDS (default 10,
 * after BENCH_WARMUP_SECONDS, default 2); highest rate tried past the ladder: BENCH_MAX_RATE (default 5000).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createDatabase, usePostgres } from '@todo/infra';
import { PostgresDatabase } from '../src/db/database.js';
import { buildApi, outboxDrained, seed, startApi } from './api-under-test.js';
import { type CpuShares, cpuMeter, machineBusySeconds, ownCpuSeconds, treeCpuSeconds } from './cpu-usage.js';
import { LoopbackHttpPool } from './loopback-http.js';
import {
  MIX,
  mixedRequest,
  OPERATIONS,
  type OpenTask,
  overHttp,
  type TaskOperations,
  throughDatabase,
} from './mixed-workload.js';
import { type OpenLoopResult, openLoop, SCHEDULE_SLACK_MS } from './open-loop.js';
import { closedLoop, fmt, percentiles } from './stats.js';

const USERS = 20;
const TASKS_PER_USER = 500;
const POOL = Number(process.env.BENCH_POOL ?? 10);
const RATES = (process.env.BENCH_RATES ?? '250,500,1000,1500,2000,2500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const HELD_P99_MS = 50;
/** A side still holding at the top of the ladder is tried this much higher each time, up to BEYOND_MAX. */
const BEYOND_STEP = 500;
const BEYOND_MAX = Number(process.env.BENCH_MAX_RATE ?? 5000);
/** A side past this p99, or with requests unanswered after the drain, is saturated: no higher rate is tried. */
const GIVE_UP_P99_MS = 1000;
const DRAIN_MS = 10_000;
/** Sockets the generator may open: enough that requests wait in the API, not in front of it. */
const SOCKETS = 256;
const SATURATION_CONNECTIONS = 100;
/** The whole run stops by itself after this, whatever happens. */
const WATCHDOG_MS = 20 * 60_000;
/**
 * BENCH_PG_STATEMENTS=1 prints PostgreSQL's own account of the run, its statements by total time (needs
 * HARNESS_PG_CONF="shared_preload_libraries = 'pg_stat_statements'" for a throw-away server).
 */
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';

interface Phase {
  rate: number;
  result: OpenLoopResult;
  cpu: CpuShares;
}

interface Side {
  name: 'API' | 'ceiling';
  request: (i: number) => Promise<void>;
  phases: Phase[];
  saturated: boolean;
  firstError?: string;
}

const held = (r: OpenLoopResult) => r.p99 <= HELD_P99_MS && r.errors === 0 && r.unfinished === 0;
const ms = (n: number) => (n === Number.POSITIVE_INFINITY ? `>${DRAIN_MS / 1000} s` : fmt(n));
const triple = (r: { p50: number; p95: number; p99: number }) => `${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)}`;

/** The highest rate held with every lower rate tried also held; `beyond` when the side never failed. */
function highestHeld(side: Side): { rate: number; beyond: boolean } {
  let rate = 0;
  for (const p of [...side.phases].sort((a, b) => a.rate - b.rate)) {
    if (!held(p.result)) return { rate, beyond: false };
    rate = p.rate;
  }
  return { rate, beyond: true };
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const cores = cpus();
  console.log(
    `${new Date().toISOString()}: ${cores.length} × ${cores[0]?.model}, load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  );
  buildApi();
  const pgAccess = await usePostgres();
  // PostgreSQL is stopped however the run ends, even if the API fails to start.
  try {
    const url = await createDatabase(pgAccess.url, `latency_${randomBytes(4).toString('hex')}`);
    const users = await seed(url, USERS, TASKS_PER_USER);
    const api = await startApi(url, users, POOL);
    const watchdog = setTimeout(() => {
      console.error(`bench:latency: still running after ${WATCHDOG_MS / 60_000} min, stopping`);
      api.process.kill('SIGKILL');
      void pgAccess.stop().finally(() => process.exit(2));
    }, WATCHDOG_MS);
    watchdog.unref();
    const db = new PostgresDatabase(url, { poolSize: POOL, prepare: true });
    if (PG_STATEMENTS) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const http = new LoopbackHttpPool('127.0.0.1', api.port, SOCKETS);
    try {
      // Each side completes tasks of its own: half of the seeded ones, then those it creates.
      const seeded = (await db.query<OpenTask>('SELECT id, user_id AS "userId" FROM tasks ORDER BY random()'))
        .rows;
      const half = Math.floor(seeded.length / 2);
      const side = (name: Side['name'], ops: TaskOperations, open: OpenTask[]): Side => {
        const request = mixedRequest(ops, users, open);
        const s: Side = {
          name,
          phases: [],
          saturated: false,
          request: (i) =>
            request(i).catch((err: unknown) => {
              s.firstError ??= String(err);
              throw err;
            }),
        };
        return s;
      };
      const sides = [
        side('API', overHttp(http, api.tokenOf), seeded.slice(0, half)),
        side('ceiling', throughDatabase(db), seeded.slice(half)),
      ];

      const postmaster = pgAccess.server?.pids[0];
      const meters = {
        api: () => treeCpuSeconds(api.process.pid!),
        postgres: () => (postmaster ? treeCpuSeconds(postmaster) : Number.NaN),
        // The load generator; in a ceiling phase also the ceiling's database client, which runs in it.
        bench: ownCpuSeconds,
        machine: machineBusySeconds,
      };
      const run = async (s: Side, rate: number, warmupSeconds = WARMUP_SECONDS, record = true) => {
        const measure = cpuMeter(meters);
        const result = await openLoop({
          rate,
          warmupMs: warmupSeconds * 1000,
          durationMs: SECONDS * 1000,
          drainMs: DRAIN_MS,
          op: s.request,
        });
        const cpu = measure();
        await outboxDrained(db);
        if (!record) return;
        s.phases.push({ rate, result, cpu });
        if (!held(result) && (result.p99 > GIVE_UP_P99_MS || result.unfinished > 0)) s.saturated = true;
        console.log(
          `  ${s.name} at ${rate}/s: p50/p95/p99 ${triple(result)} ms, ${fmt(result.achieved, 0)} done/s, ` +
            `errors ${result.errors}, unfinished ${result.unfinished}, send lag p99 ${fmt(result.lagP99)} ms, ` +
            `CPU % API ${fmt(cpu.api!, 0)} PostgreSQL ${fmt(cpu.postgres!, 0)} bench ${fmt(cpu.bench!, 0)} machine ${fmt(cpu.machine!, 0)}`,
        );
      };

      console.log('warming up (JIT, connections, caches)…');
      for (const s of sides) await run(s, 500, 3, false);

      console.log(`open loop, ${SECONDS} s per rate after ${WARMUP_SECONDS} s of warm-up:`);
      for (const rate of RATES) for (const s of sides) if (!s.saturated) await run(s, rate);
      // Where the ladder does not show a side's limit, find it: higher while it holds, then one halving step.
      const top = Math.max(...RATES);
      for (const s of sides) {
        for (let rate = top + BEYOND_STEP; rate <= BEYOND_MAX && highestHeld(s).beyond && !s.saturated; ) {
          await run(s, rate);
          rate += BEYOND_STEP;
        }
        const { rate: lo, beyond } = highestHeld(s);
        const hi = Math.min(...s.phases.filter((p) => p.rate > lo).map((p) => p.rate));
        if (!beyond && hi - lo > 250) await run(s, Math.round((lo + hi) / 2 / 50) * 50);
      }

      console.log(`saturation: closed loop, ${SATURATION_CONNECTIONS} requests in flight, ${SECONDS} s:`);
      const saturation = new Map<Side['name'], Awaited<ReturnType<typeof closedLoop>>>();
      for (const s of sides) {
        let i = 0;
        const op = () => s.request(i++);
        await closedLoop(SATURATION_CONNECTIONS, 2000, op);
        const r = await closedLoop(SATURATION_CONNECTIONS, SECONDS * 1000, op);
        await outboxDrained(db);
        saturation.set(s.name, r);
        console.log(`  ${s.name}: ${fmt(r.perSec, 0)} req/s, p99 ${fmt(r.p99)} ms, errors ${r.errors}`);
      }

      report(sides, saturation);
      if (PG_STATEMENTS) await reportStatements(db);
      console.log(`\nTook ${fmt((Date.now() - startedAt) / 60_000)} min.`);
    } finally {
      clearTimeout(watchdog);
      http.close();
      await api.stop();
      await db.close();
    }
  } finally {
    await pgAccess.stop();
  }
}

function report(sides: Side[], saturation: Map<Side['name'], { perSec: number; p99: number }>): void {
  const [apiSide, ceiling] = sides as [Side, Side];
  const rates = [...new Set(sides.flatMap((s) => s.phases.map((p) => p.rate)))].sort((a, b) => a - b);
  const at = (s: Side, rate: number) => s.phases.find((p) => p.rate === rate);
  const cpu = (p: Phase | undefined) =>
    p
      ? `${fmt(p.cpu.api!, 0)} / ${fmt(p.cpu.postgres!, 0)} / ${fmt(p.cpu.bench!, 0)} / ${fmt(p.cpu.machine!, 0)}`
      : '–';
  const cell = (p: Phase | undefined, f: (r: OpenLoopResult) => string) => (p ? f(p.result) : 'not run');

  console.log(
    '\n| rate req/s | API p50 / p95 / p99 ms | API done/s | ceiling p50 / p95 / p99 ms | ceiling done/s | send lag p99 ms API / ceiling | CPU % API phase: API / PG / bench / machine | CPU % ceiling phase: API / PG / bench / machine |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const rate of rates) {
    const a = at(apiSide, rate);
    const c = at(ceiling, rate);
    console.log(
      `| ${rate} | ${cell(a, triple)} | ${cell(a, (r) => fmt(r.achieved, 0))} | ${cell(c, triple)} | ${cell(c, (r) => fmt(r.achieved, 0))} | ${cell(a, (r) => fmt(r.lagP99))} / ${cell(c, (r) => fmt(r.lagP99))} | ${cpu(a)} | ${cpu(c)} |`,
    );
  }

  console.log('\np99 ms by operation (API / ceiling):\n');
  console.log(`| rate req/s | ${OPERATIONS.join(' | ')} |`);
  console.log(`| ---: | ${OPERATIONS.map(() => '---:').join(' | ')} |`);
  const p99Of = (p: Phase | undefined, op: string) => {
    if (!p) return Number.NaN;
    const sample = [...p.result.latencies].filter(
      (v, m) => MIX[(m + p.result.firstMeasured) % MIX.length] === op && !Number.isNaN(v),
    );
    return percentiles(sample).p99;
  };
  for (const rate of rates) {
    const cells = OPERATIONS.map(
      (op) => `${ms(p99Of(at(apiSide, rate), op))} / ${ms(p99Of(at(ceiling, rate), op))}`,
    );
    console.log(`| ${rate} | ${cells.join(' | ')} |`);
  }

  const hApi = highestHeld(apiSide);
  const hCeiling = highestHeld(ceiling);
  const heldText = (h: { rate: number; beyond: boolean }) => `${h.beyond ? '≥ ' : ''}${h.rate}/s`;
  console.log(
    `\nHighest rate held at p99 ≤ ${HELD_P99_MS} ms (no errors): API ${heldText(hApi)}, ceiling ${heldText(hCeiling)}`,
  );
  const sApi = saturation.get('API')!;
  const sCeiling = saturation.get('ceiling')!;
  const ratio = sApi.perSec / sCeiling.perSec;
  console.log(
    `Saturation (closed loop, ${SATURATION_CONNECTIONS} in flight): API ${fmt(sApi.perSec, 0)} req/s, ceiling ${fmt(sCeiling.perSec, 0)} req/s, API / ceiling ${fmt(ratio, 2)}`,
  );
  const p99At1500 = at(apiSide, 1500)?.result.p99 ?? Number.NaN;
  console.log(
    `Targets: p99 at 1,500/s ${ms(p99At1500)} ms (≤ 10, ratio ${fmt(p99At1500 / 10, 2)}); ` +
      `held at p99 ≤ 50 ms ${heldText(hApi)} (≥ 2,500, ratio ${fmt(hApi.rate / 2500, 2)}); ` +
      `saturation ${fmt(ratio, 2)} of the ceiling (≥ 0.7, ratio ${fmt(ratio / 0.7, 2)})`,
  );

  for (const s of sides) {
    const late = s.phases.filter((p) => p.result.lagP99 > SCHEDULE_SLACK_MS).map((p) => p.rate);
    if (late.length)
      console.log(
        `${s.name}: the generator fell behind its schedule (send lag p99 > ${SCHEDULE_SLACK_MS} ms) at ${late.join(', ')}/s; those latencies include its own delay.`,
      );
    const busiest = Math.max(...s.phases.map((p) => p.cpu.bench!));
    const who =
      s.name === 'API' ? 'the load generator' : "the bench process (generator and the ceiling's client)";
    if (busiest >= 90) console.log(`${s.name}: ${who} used ${fmt(busiest, 0)} % of a core at its busiest.`);
    if (s.firstError) console.log(`${s.name}: first error: ${s.firstError}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** The statements of the whole run (both sides, warm-up included) that cost PostgreSQL the most time. */
async function reportStatements(db: PostgresDatabase): Promise<void> {
  const { rows } = await db.query<{
    calls: string;
    total: number;
    mean: number;
    rows: string;
    query: string;
  }>(
    `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, rows, query FROM pg_stat_statements
     ORDER BY total_exec_time DESC LIMIT 15`,
  );
  console.log('\nPostgreSQL statements by total time (pg_stat_statements, whole run):\n');
  console.log('| total ms | calls | mean ms | rows | statement |');
  console.log('| ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const text = r.query.replace(/\s+/g, ' ').slice(0, 160).replaceAll('|', '\\|');
    console.log(`| ${fmt(r.total, 0)} | ${r.calls} | ${fmt(r.mean, 3)} | ${r.rows} | ${text} |`);
  }
}
