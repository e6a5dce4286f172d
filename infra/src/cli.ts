/**
 * `npm run infra -- prepare` builds or fetches every heavy artefact the tests need (see prepare.ts);
 * `npm run infra -- up postgres|kafka|kube|dapr` starts real servers for local work and prints the `export`
 * lines that reach them; `npm run infra -- down` stops every server it started. State lives in `.infra/` at
 * the root.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDapr } from './dapr.js';
import { parseBrokerList, startKafka } from './kafka.js';
import { startKube } from './kube.js';
import { startPostgres } from './postgres.js';
import { prepare } from './prepare.js';
import { InfraUnavailableError, type RunningServer, terminatePid } from './process.js';

/** Each starter gets the variables of the servers already up (a sidecar's pubsub reaches their broker). */
const starters: Record<string, (up: Record<string, string>) => Promise<RunningServer>> = {
  postgres: () => startPostgres(),
  kafka: () => startKafka(),
  kube: () => startKube(),
  dapr: (up) => {
    const brokers = process.env.KAFKA_BROKERS ?? up.KAFKA_BROKERS;
    return startDapr({ kafkaBrokers: brokers ? parseBrokerList(brokers) : undefined });
  },
};

interface SavedServer {
  name: string;
  env: Record<string, string>;
  pids: number[];
  dir: string;
}

const stateDir = resolve(fileURLToPath(new URL('../../.infra', import.meta.url)));
const stateFile = join(stateDir, 'state.json');

async function load(): Promise<SavedServer[]> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as SavedServer[];
  } catch {
    return [];
  }
}

async function save(servers: SavedServer[]): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(stateFile, JSON.stringify(servers, null, 2));
}

function printExports(servers: SavedServer[]): void {
  for (const s of servers) for (const [k, v] of Object.entries(s.env)) console.log(`export ${k}=${v}`);
}

async function up(names: string[]): Promise<void> {
  const saved = await load();
  for (const name of names) {
    const start = starters[name];
    if (!start)
      throw new Error(`unknown server "${name}"; expected one of: ${Object.keys(starters).join(', ')}`);
    if (saved.some((s) => s.name === name)) {
      console.error(`# ${name} is already up`);
      continue;
    }
    const server = await start(Object.assign({}, ...saved.map((s) => s.env)));
    saved.push({ name: server.name, env: server.env, pids: server.pids, dir: server.dir });
    await save(saved);
    console.error(`# ${name} started (pids ${server.pids.join(', ')})`);
  }
  printExports(saved);
}

async function down(names: string[]): Promise<void> {
  const saved = await load();
  const stopping = names.length ? saved.filter((s) => names.includes(s.name)) : saved;
  for (const s of stopping) {
    for (const pid of s.pids) await terminatePid(pid, 15_000);
    await rm(s.dir, { recursive: true, force: true });
    console.error(`# ${s.name} stopped`);
  }
  await save(saved.filter((s) => !stopping.includes(s)));
}

async function main(): Promise<void> {
  const [command, ...names] = process.argv.slice(2);
  if (command === 'up' && names.length) return up(names);
  if (command === 'down') return down(names);
  if (command === 'env') return printExports(await load());
  if (command === 'prepare') return prepare();
  console.error('usage: npm run infra -- prepare | up postgres|kafka|kube|dapr ... | down [name ...] | env');
  process.exitCode = 2;
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
    console.error(err instanceof InfraUnavailableError ? `infra: ${err.message}` : err);
    process.exit(1);
  });
