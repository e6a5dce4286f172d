import { ConfigError, loadConfig } from '@todo/contract';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';

/** Boots the API: config, database + migrations, HTTP; drains and closes everything on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = pino({ level: config.LOG_LEVEL });
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    prepare: config.DB_PREPARED_STATEMENTS,
    // Live updates, the relay and reminders are woken through it: its loss and return are worth a line.
    onListener: (event) => {
      if (event.state === 'restored') logger.info('database: listening again');
      else
        logger.warn(
          { err: event.error, ...('inMs' in event ? { retryInMs: event.inMs } : {}) },
          `database: listening connection ${event.state}`,
        );
    },
  });
  const applied = await migrate(db);
  logger.info({ storage: db.kind, applied }, 'database ready');
  const { server, readiness, events } = await buildApp({ config, db, logger });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    readiness.accepting = false;
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    await server.close();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await server.listen({ port: config.PORT, host: config.HOST });
  await events.start();
  logger.info({ address, storage: db.kind, eventBus: config.EVENT_BUS }, 'todo API listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
