import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@todo/infra';
import { eventually } from '@todo/infra/testing';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** The lines it logged to stderr/stdout, for failure messages. */
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the real API entry point (`src/main.ts`) as its own process, as `npm start` would. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CONSOLE_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  child.on('exit', (code, signal) => output.push(`API process exited (code ${code}, signal ${signal})\n`));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually('API process', async () => (await fetch(`${url}/readyz`)).ok, 60_000, 100);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output.join('')}`);
  }
  return {
    url,
    child,
    output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
