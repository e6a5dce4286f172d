/** Entry point of the TodoApp operator: `npm run operator` runs it against the current kubeconfig context. */
import pino from 'pino';
import { loadClusterAccess } from './kube/kubeconfig.js';
import { ConfigError, loadConfig } from './runtime/config.js';
import { CrdNotInstalledError, startOperator } from './runtime/operator.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`todo-operator: invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ name: 'todo-operator', level: config.logLevel });
  const access = loadClusterAccess();
  let operator: Awaited<ReturnType<typeof startOperator>>;
  try {
    operator = await startOperator(access, config, log);
  } catch (err) {
    if (err instanceof CrdNotInstalledError) {
      log.fatal(err.message);
      process.exit(1);
    }
    throw err;
  }
  log.info({ port: config.httpPort, identity: config.identity }, 'todo-operator started');
  void operator.leadershipLost.then(() => {
    log.fatal('lost the leader lease: exiting so the pod restarts as a standby');
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: releasing the lease and draining workers');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    operator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('todo-operator:', err);
  process.exit(1);
});
