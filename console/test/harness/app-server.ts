import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from '@todo/infra';
import { startServerProcess } from '@todo/infra/testing';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const apiMain = join(repoRoot, 'api/dist/main.js');

/** The real app (`npm start` minus the build), on a free loopback port and a throwaway data directory. */
export interface RunningApp {
  url: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Set to the base URL of a running app (serving this console build) to test it instead of starting one. */
const EXISTING_APP = process.env.CONSOLE_APP_URL;

/**
 * Builds the console into its own directory (so a concurrent `npm run build` in the checkout cannot swap the
 * assets under a running test) and the API when its sources changed. Returns the console directory.
 */
export async function buildApp(): Promise<string> {
  const consoleDir = await tempDir('console-dist');
  // Under vitest NODE_ENV is "test", which would make Vite pick Lit's development build.
  await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', consoleDir, '--emptyOutDir'], {
    cwd: join(repoRoot, 'console'),
    env: { ...process.env, NODE_ENV: 'production' },
    timeoutMs: 300_000,
  });
  if (EXISTING_APP) return consoleDir;
  // Browser suites run in parallel workers; one builds the API while the others wait, then find it fresh.
  await withLock(join(tmpdir(), 'todo-console-api-build.lock'), async () => {
    if (!existsSync(apiMain) || newestMtime(join(repoRoot, 'api/src')) > statSync(apiMain).mtimeMs) {
      await run('npm', ['run', 'build', '-w', 'api'], { cwd: repoRoot, timeoutMs: 600_000 });
    }
  });
  return consoleDir;
}

/** A cross-process lock: mkdir is atomic; a lock left by a crashed run is taken over after ten minutes. */
async function withLock(dir: string, fn: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const since = statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 600_000) await rm(dir, { force: true, recursive: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await fn();
  } finally {
    await rm(dir, { force: true, recursive: true });
  }
}

/** Starts `node api/dist/main.js` serving the console built in `consoleDir`. */
export async function startApp(consoleDir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  if (EXISTING_APP) {
    const stop = () => rm(consoleDir, { recursive: true, force: true });
    return { url: EXISTING_APP.replace(/\/$/, ''), output: () => '', stop };
  }
  if (!existsSync(apiMain))
    throw new Error(`The API is not built (${apiMain} is missing); run npm run build -w api.`);
  const dataDir = await tempDir('console-e2e');
  const removeDirs = async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(consoleDir, { recursive: true, force: true });
  };
  const server = await startServerProcess({
    name: 'the todo API',
    args: [apiMain],
    cwd: repoRoot,
    env: { CONSOLE_DIR: consoleDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn', EVENT_BUS: 'memory', ...env },
  }).catch(async (err) => {
    await removeDirs();
    throw err;
  });
  return {
    url: server.url,
    output: server.output,
    async stop() {
      await server.stop();
      await removeDirs();
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
