/**
 * What the API benchmarks share: a seeded database and the real API process (`npm start`'s entry point)
 * on it, with bearer tokens for the seeded users.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually, startServerProcess } from '@todo/infra/testing';
import { TokenService } from '../src/auth/tokens.js';
import { PostgresDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { projectRepository } from '../src/projects/project.repository.js';

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
    // Each user's tasks live in their Inbox, as sign-up makes it.
    const inbox = await projectRepository.ensureInbox(db, user);
    await db.query(
      `INSERT INTO tasks (id, user_id, project_id, title, description, priority, tags, due_at)
       SELECT gen_random_uuid(), $1, $4, ($2::text[])[1 + i % 10] || ' ' || i, 'seeded task ' || i, i % 5,
              ARRAY['tag' || (i % 7), 'tag' || (i % 3)], now() + (i || ' hours')::interval
       FROM generate_series(1, $3) i`,
      [user, WORDS, tasksPerUser, inbox],
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
  // BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=…' profiles the API under load; its flags come after
  // `npm start`'s own, so they override them (e.g. --max-semi-space-size).
  const extraArgs = process.env.BENCH_API_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const [script, ...nodeFlags] = startArgs().reverse();
  const api = await startServerProcess({
    name: 'the API',
    args: [...nodeFlags.reverse(), ...extraArgs, script!],
    cwd: root,
    env: { DATABASE_URL: url, JWT_SECRET: secret, LOG_LEVEL: 'warn', DB_POOL_SIZE: String(poolSize) },
    showOutput: true,
  });
  return { process: api.child, port: api.port, base: api.url, tokenOf, stop: () => api.stop() };
}

/** After writes, waits until the API process's relay and consumers have delivered every event. */
export async function outboxDrained(db: PostgresDatabase): Promise<void> {
  await eventually(
    'the outbox drained',
    async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0,
    120_000,
    100,
  );
}
