import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '@todo/contract';
import { type Database, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { listDeadLetters, replayDeadLetters } from './dead-letters.js';

const USAGE = `usage: dead-letters list
       dead-letters replay --all | <event id>...`;

/**
 * The operator's command for dead letters: `list` prints one JSON line per dead letter; `replay` puts all of
 * them, or those of the given event ids, back on the way. Returns the exit code.
 */
export async function deadLetterCommand(
  db: Database,
  args: readonly string[],
  write: (line: string) => void,
): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'list' && rest.length === 0) {
    for (const dead of await listDeadLetters(db)) write(JSON.stringify(dead));
    return 0;
  }
  if (verb === 'replay' && rest.length > 0) {
    const all = rest.length === 1 && rest[0] === '--all';
    if (!all && rest.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) {
      write(`not an event id: ${rest.find((id) => !/^[0-9a-f-]{36}$/i.test(id))}`);
      return 2;
    }
    write(`replayed ${await replayDeadLetters(db, all ? undefined : rest)} dead letter(s)`);
    return 0;
  }
  write(USAGE);
  return 2;
}

/** Runs against the database the API's configuration names (DATABASE_URL, else the embedded one in DATA_DIR). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
  try {
    // The schema the API would bring at boot (a no-op on a running tenant's database).
    await migrate(db);
    process.exitCode = await deadLetterCommand(db, process.argv.slice(2), (line) =>
      process.stdout.write(`${line}\n`),
    );
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();
