import { fileURLToPath } from 'node:url';
import { type ServerProcess, startServerProcess } from '@todo/infra/testing';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Runs the real API entry point (`src/main.ts`) as its own process, as `npm start` would. */
export function startApiProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess({
    name: 'the API',
    args: ['--import', 'tsx', MAIN],
    env: { LOG_LEVEL: 'info', CONSOLE_DIR: '/nonexistent', ...env },
  });
}
