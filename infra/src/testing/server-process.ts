import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../process.js';
import { eventually } from './eventually.js';

export interface ServerProcessOptions {
  /** Named in errors: "the todo API did not answer /readyz …". */
  name: string;
  /** Node's arguments: flags, then the entry point. */
  args: string[];
  /** Added to this process's environment; PORT and HOST are set to a free loopback port. */
  env?: Record<string, string>;
  /** The port instead of a free one: one a Dapr sidecar was already told, or the same one after a restart. */
  port?: number;
  cwd?: string;
  /** Print what the server prints (benchmarks) instead of only keeping it for failure messages. */
  showOutput?: boolean;
  readyPath?: string;
  readyTimeoutMs?: number;
}

/** A Node server running as its own process on loopback, answering on `url`. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  /** Sends `signal` (SIGTERM: SIGKILL after 10 s) and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node <args>` with PORT and HOST on a free loopback port and resolves once `readyPath` answers
 * 2xx; fails at once, with its output, when the process exits before that.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', options.showOutput ? 'inherit' : 'pipe', options.showOutput ? 'inherit' : 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      output += `\n[${options.name} exited: ${signal ?? `code ${code}`}]\n`;
      resolve();
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const escalate = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(escalate);
  };
  const url = `http://127.0.0.1:${port}`;
  const diedEarly = exited.then(() => {
    throw new Error(`${options.name} exited (${child.signalCode ?? child.exitCode}) before it was ready`);
  });
  // Once the server is up, its later exit is the test's business, not an unhandled rejection.
  diedEarly.catch(() => undefined);
  try {
    await Promise.race([
      eventually(
        `${options.name} answering ${options.readyPath ?? '/readyz'}`,
        async () => (await fetch(`${url}${options.readyPath ?? '/readyz'}`)).ok,
        options.readyTimeoutMs ?? 60_000,
        100,
      ),
      diedEarly,
    ]);
  } catch (err) {
    await stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output.slice(-4000)}`, { cause: err });
  }
  return { url, port, child, output: () => output, stop };
}
