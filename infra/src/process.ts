import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real server started for tests or local work; `env` holds the variables that reach it. */
export interface RunningServer {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Process ids to signal when stopping from another process (`infra down`). */
  readonly pids: number[];
  readonly dir: string;
  stop(): Promise<void>;
}

/** Thrown when a server cannot be started on this machine; the message names what is missing. */
export class InfraUnavailableError extends Error {
  override readonly name = 'InfraUnavailableError';
}

/** Asks the kernel for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a server again, on fresh ports, when it lost its ports to someone else: a port from freePort()
 * is only free when asked, and other suites start servers and open connections in parallel. `start` must
 * clean up after itself when it fails and put the server's log in its error, where the clash shows.
 */
export async function retryOnPortClash<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= attempts || !/address already in use|EADDRINUSE/i.test(message)) throw err;
    }
  }
}

/** statfs's type of a tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;
let harnessRoot: Promise<string> | undefined;

/**
 * Where throw-away servers keep their data: `HARNESS_TMPDIR` if set, else tmpfs (`/dev/shm`) when it has
 * a GiB free, else the system's temp folder. These servers run with fsync off and are deleted when they
 * stop, so a disk adds nothing but the kernel's writeback (a fifth of a core under the event benchmark).
 */
function chooseHarnessRoot(): Promise<string> {
  harnessRoot ??= (async () => {
    if (process.env.HARNESS_TMPDIR) return process.env.HARNESS_TMPDIR;
    try {
      const fs = await statfs('/dev/shm');
      if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= 2 ** 30) {
        await access('/dev/shm', constants.W_OK);
        return '/dev/shm';
      }
    } catch {
      // No /dev/shm here.
    }
    return tmpdir();
  })();
  return harnessRoot;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(await chooseHarnessRoot(), `todo-${prefix}-`));
}

/** Where heavy, versioned build artefacts (Kafka jars, Go binaries) are cached across clones. */
export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'todo-operator');
}

/** Runs a command to completion, collecting output; rejects with the output on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out.slice(-4000)}`));
    });
  });
}

/** Sends SIGTERM, then SIGKILL after a grace period, and resolves when the process has exited. */
export async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Signals a process id we do not own a handle for (used by `infra down`). */
export async function terminatePid(pid: number, graceMs = 10_000): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}
