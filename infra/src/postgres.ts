import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import {
  freePort,
  InfraUnavailableError,
  type RunningServer,
  retryOnPortClash,
  run,
  tempDir,
  terminatePid,
} from './process.js';
import { eventually } from './testing/eventually.js';

/** Finds the directory holding `initdb`, `pg_ctl` and `postgres`, preferring the newest installed major. */
export function findPostgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is optional; fall through to the well-known locations.
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    try {
      const majors = execFileSync('ls', [debianRoot], { encoding: 'utf8' }).split('\n').filter(Boolean);
      majors.sort((a, b) => Number(b) - Number(a));
      for (const m of majors) candidates.push(join(debianRoot, m, 'bin'));
    } catch {
      // unreadable: ignore
    }
  }
  for (const dir of ['/usr/local/bin', '/usr/bin']) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

/** PostgreSQL refuses to run as root, so as root we run it as the `postgres` system user. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]];
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new InfraUnavailableError(
      "PostgreSQL cannot run as root and there is no `postgres` user: install Debian's `postgresql` package (apt-get install postgresql) or set DATABASE_URL",
    );
  }
}

export interface PostgresServer extends RunningServer {
  readonly url: string;
}

/**
 * Starts a throw-away PostgreSQL cluster on 127.0.0.1 on a free port (initdb into a temp folder, fsync off).
 * Tuned for tests: durability is traded for speed, which is what a disposable cluster is for.
 */
export function startPostgres(opts: { maxConnections?: number } = {}): Promise<PostgresServer> {
  return retryOnPortClash(() => startPostgresOnce(opts));
}

async function startPostgresOnce(opts: { maxConnections?: number }): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin) {
    throw new InfraUnavailableError(
      "PostgreSQL server binaries (initdb, postgres) not found: install Debian's `postgresql` package, set PG_BINDIR, or set DATABASE_URL to an existing server",
    );
  }
  const ids = postgresUserIds();
  const dir = await tempDir('pg');
  const dataDir = join(dir, 'data');
  if (ids) await chown(dir, ids.uid, ids.gid);
  const port = await freePort();
  const [initCmd, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  await run(initCmd, initArgs, { timeoutMs: 120_000 });
  const conf = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    `max_connections = ${opts.maxConnections ?? 300}`,
    'shared_buffers = 256MB',
    "log_min_messages = 'warning'",
    // Extra settings for profiling a run, e.g. shared_preload_libraries = 'pg_stat_statements'.
    ...(process.env.HARNESS_PG_CONF ? process.env.HARNESS_PG_CONF.split(';') : []),
  ].join('\n');
  await writeFile(join(dataDir, 'postgresql.auto.conf'), `${conf}\n`);
  if (ids) await chown(join(dataDir, 'postgresql.auto.conf'), ids.uid, ids.gid);
  const [ctlCmd, ctlArgs] = asServerUser(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  try {
    await run(ctlCmd, ctlArgs, { timeoutMs: 90_000 });
  } catch (err) {
    // pg_ctl only says "could not start server"; the reason (e.g. the port was taken) is in the log.
    const log = await readFile(join(dir, 'postgres.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\n--- postgres.log ---\n${log.slice(-2000)}`,
    );
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await eventually(
    'PostgreSQL',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    },
    30_000,
    100,
  );
  const pidLine = (await run('head', ['-1', join(dataDir, 'postmaster.pid')])).trim();
  const pid = Number(pidLine);
  let stopped = false;
  return {
    name: 'postgres',
    url,
    env: { DATABASE_URL: url },
    pids: [pid],
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Fast shutdown via SIGINT to the postmaster; falls back to SIGKILL after the grace period.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      await terminatePid(pid, 15_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh, empty database on a server and returns its URL (one per test file keeps suites independent). */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Access to a PostgreSQL server for a test suite; `stop()` removes it only when this suite started it. */
export interface PostgresAccess {
  readonly url: string;
  readonly server: PostgresServer | undefined;
  stop(): Promise<void>;
}

/** The server named by DATABASE_URL, else a freshly started one. */
export async function usePostgres(): Promise<PostgresAccess> {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, server: undefined, stop: async () => undefined };
  const server = await startPostgres();
  return { url: server.url, server, stop: () => server.stop() };
}
