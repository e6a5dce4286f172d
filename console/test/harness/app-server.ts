import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tempDir } from '@todo/infra';
import { startServerProcess } from '@todo/infra/testing';
import { inject } from 'vitest';
import { apiMain, EXISTING_APP, repoRoot } from './build.js';

/** The real app (`npm start` minus the build), on a free loopback port and a throwaway data directory. */
export interface RunningApp {
  url: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The console the project's global setup built for this run (suites only read it). */
export function builtConsole(): string {
  return inject('consoleDist');
}

/** Starts `node api/dist/main.js` serving the console built in `consoleDir`. */
export async function startApp(consoleDir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  if (EXISTING_APP) {
    return { url: EXISTING_APP.replace(/\/$/, ''), output: () => '', stop: async () => {} };
  }
  if (!existsSync(apiMain))
    throw new Error(`The API is not built (${apiMain} is missing); run npm run build -w api.`);
  const dataDir = await tempDir('console-e2e');
  const removeDirs = () => rm(dataDir, { recursive: true, force: true });
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
