/**
 * What the API benchmarks share: a seeded database and the real API process (`npm start`'s entry point)
 * on it, with bearer tokens for the seeded users.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@todo/infra';
import { TokenService } from '../src/auth/tokens.js';
import { PostgresDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';

export const WORDS = [
  'invoice',
  'garden',
  'dentist',
  'report',
  'groceries',
  'meeting',
  'holiday',
  'laundry',
  'taxes',
  'birthday',
];
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the API as `npm start` runs it (BENCH_SKIP_BUILD=1: use `api/dist` as it is). */
export function buildApi(): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  console.log(`building the API (tsc)…`);
  execFileSync('npx', ['tsc', '-b', 'api'], { cwd: root, stdio: 'inherit' });
}

/** Migrates the database and seeds `users` users with `tasksPerUser` open tasks each; returns the user ids. */
export async function seed(url: string, users: number, tasksPerUser: number): Promise<string[]> {
  console.log(`seeding ${users} users × ${tasksPerUser} tasks…`);
  const db = new PostgresDatabase(url, { poolSize: 4 });
  await migrate(db);
  const ids = Array.from({ length: users }, () => randomUUID());
  await db.query(
    `INSERT INTO users (id, email, password_hash) SELECT u, u || '@bench.example', 'scrypt$1$1$1$x$y' FROM unnest($1::text[]) u`,
    [ids],
  );
  for (const user of ids) {
    await db.query(
      `INSERT INTO tasks (id, user_id, title, description, priority, tags, due_at)
       SELECT gen_random_uuid(), $1, ($2::text[])[1 + i % 10] || ' ' || i, 'seeded task ' || i, i % 5,
              ARRAY['tag' || (i % 7), 'tag' || (i % 3)], now() + (i || ' hours')::interval
       FROM generate_series(1, $3) i`,
      [user, WORDS, tasksPerUser],
    );
  }
  await db.query('ANALYZE');
  // Flush the seed to disk now: otherwise the kernel writes it back (~45 % of a core) during the first
  // measured operation, which then pays for the seeding.
  await db.query('CHECKPOINT');
  execFileSync('sync');
  await db.close();
  return ids;
}

/** The node arguments of `npm start` (root package.json), so the benchmark runs the API exactly as users do. */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return args;
}

/** Polls `check` every 100 ms until it resolves true; fails with `what` after `timeoutMs`. */
async function pollUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

export interface RunningApi {
  process: ChildProcess;
  port: number;
  base: string;
  /** The bearer token of each user, by user id. */
  tokenOf: Map<string, string>;
  stop(): Promise<void>;
}

/** Starts the built API on `url` (EVENT_BUS=memory: relay and consumers in its process) and waits until ready. */
export async function startApi(url: string, users: string[], poolSize: number): Promise<RunningApi> {
  const secret = randomBytes(32).toString('base64url');
  const tokens = new TokenService({ secret, ttlSeconds: 3600 });
  const tokenOf = new Map(
    await Promise.all(users.map(async (u) => [u, await tokens.issue(u, `${u}@bench.example`)] as const)),
  );
  const port = await freePort();
  // BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=…' profiles the API under load.
  const extraArgs = process.env.BENCH_API_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const api = spawn(process.execPath, [...extraArgs, ...startArgs()], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: String(poolSize),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // Fail at once, not after the timeout, if the process dies while starting.
  let exited: (code: number | null, signal: string | null) => void = () => undefined;
  const died = new Promise<never>((_, reject) => {
    exited = (code, signal) => reject(new Error(`the API exited (${signal ?? code}) before it was ready`));
  });
  died.catch(() => undefined);
  api.once('exit', exited);
  try {
    await Promise.race([
      pollUntil('the API did not become ready', async () => (await fetch(`${base}/readyz`)).ok, 60_000),
      died,
    ]);
  } catch (err) {
    api.kill('SIGTERM');
    throw err;
  } finally {
    api.off('exit', exited);
  }
  return {
    process: api,
    port,
    base,
    tokenOf,
    stop: async () => {
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    },
  };
}

/** After writes, waits until the API process's relay and consumers have delivered every event. */
export async function outboxDrained(db: PostgresDatabase): Promise<void> {
  await pollUntil(
    'the outbox did not drain',
    async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0,
    120_000,
  );
}
