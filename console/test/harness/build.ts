import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from '@todo/infra';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const apiMain = join(repoRoot, 'api/dist/main.js');

/** Set to the base URL of a running app (serving this console build) to test it instead of starting one. */
export const EXISTING_APP = process.env.CONSOLE_APP_URL;

/**
 * Builds the console into a directory of its own (so a concurrent `npm run build` in the checkout cannot swap
 * the assets under a running test). The project's global setup calls it once; suites share the result.
 */
export async function buildConsole(): Promise<string> {
  const consoleDir = await tempDir('console-dist');
  // Under vitest NODE_ENV is "test", which would make Vite pick Lit's development build.
  await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', consoleDir, '--emptyOutDir'], {
    cwd: join(repoRoot, 'console'),
    env: { ...process.env, NODE_ENV: 'production' },
    timeoutMs: 300_000,
  });
  return consoleDir;
}

/** Builds the API when its sources are newer than its build (or it has none); skipped against CONSOLE_APP_URL. */
export async function buildApiIfStale(): Promise<void> {
  if (EXISTING_APP) return;
  if (!existsSync(apiMain) || newestMtime(join(repoRoot, 'api/src')) > statSync(apiMain).mtimeMs) {
    await run('npm', ['run', 'build', '-w', 'api'], { cwd: repoRoot, timeoutMs: 600_000 });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
