/**
 * Real Dapr on loopback: the scheduler (Jobs API, with its embedded etcd) and any number of daprd sidecars
 * pointed at it, built from Go modules once (dapr-build.ts). Every port is a free loopback port: the
 * scheduler's defaults (8080, 2379, 9090, 50006) clash with the other servers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DaprBinaries, ensureDaprBinaries } from './dapr-build.js';
import { freePort, type RunningServer, retryOnPortClash, tempDir, terminate } from './process.js';
import { eventually } from './testing/eventually.js';

export {
  DAPR_VERSION,
  DAPRD_COMPONENTS,
  ensureDaprBinaries,
  goModDirectives,
  SERVED_REPLACEMENTS,
  wrapperGoMod,
} from './dapr-build.js';

/** The cached binaries; under CI=true the prepare step must have built them (a missing one is named). */
function daprBinaries(): Promise<DaprBinaries> {
  return ensureDaprBinaries({ build: !process.env.CI });
}

/** One Dapr process, detached with its output in a log file, that can be stopped and started again. */
interface DaprProcess {
  readonly pid: number | undefined;
  /** Starts it and resolves once `ready` holds; fails at once, with the log, when it exits before that. */
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  logTail(): Promise<string>;
}

function daprProcess(
  name: string,
  file: string,
  args: string[],
  logFile: string,
  ready: () => Promise<boolean>,
  env: Record<string, string> = {},
): DaprProcess {
  let child: ChildProcess | undefined;
  const logTail = async () =>
    (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-40).join('\n');
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    if (signal === 'SIGKILL') proc.kill('SIGKILL');
    await terminate(proc, 15_000);
  };
  return {
    get pid() {
      return child?.pid;
    },
    logTail,
    stop,
    async start() {
      if (child) return;
      const out = openSync(logFile, 'a');
      // Detached, so `npm run infra -- up dapr` can exit and leave it running.
      const proc = spawn(file, args, {
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, ...env },
      });
      closeSync(out);
      proc.unref();
      child = proc;
      let exit: string | undefined;
      proc.once('exit', (code, signal) => {
        exit = signal ?? `code ${code}`;
      });
      try {
        // An exit ends the wait at once (a throw would only make `eventually` try again).
        const outcome = await eventually(
          `${name} healthy`,
          async () => (exit ? 'exited' : (await ready()) && 'healthy'),
          60_000,
          100,
        );
        if (outcome === 'exited') throw new Error(`${name} exited (${exit}) before it was healthy`);
      } catch (err) {
        await stop('SIGKILL');
        const log = await logTail();
        // daprd logs the bind error itself only at debug level; its fatal line is this one.
        const clash = /could not listen on any endpoint/.test(log) ? ' (address already in use)' : '';
        throw new Error(`${(err as Error).message}${clash}\n--- ${logFile} ---\n${log}`, { cause: err });
      }
    },
  };
}

/**
 * Starts `proc` (removing `dir` when it fails) and returns it as a RunningServer with `fields`; `pids` follows
 * the process through restarts, and `stop()` removes `dir`.
 */
async function startServer<T extends RunningServer>(
  proc: DaprProcess,
  dir: string,
  fields: Omit<T, 'pids' | 'dir' | 'stop'>,
): Promise<T> {
  try {
    await proc.start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const server = {
    ...fields,
    dir,
    pids: [] as number[],
    async stop() {
      if (stopped) return;
      stopped = true;
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  Object.defineProperty(server, 'pids', { get: () => (proc.pid ? [proc.pid] : []), enumerable: true });
  return server as T;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** A folder of the server's own, in `parent` when given (so one `infra down` removes a whole set). */
async function ownDir(prefix: string, parent?: string): Promise<string> {
  if (!parent) return tempDir(prefix);
  const dir = join(parent, prefix);
  await mkdir(dir, { recursive: true });
  return dir;
}

export interface SchedulerServer extends RunningServer {
  /** `127.0.0.1:<port>`, what daprd's `--scheduler-host-address` takes. */
  readonly address: string;
  /** The last lines of its log. */
  logTail(): Promise<string>;
}

/** Starts Dapr's scheduler, its embedded etcd on tmpfs, everything on free loopback ports. */
export function startScheduler(opts: { parentDir?: string } = {}): Promise<SchedulerServer> {
  return retryOnPortClash(() => startSchedulerOnce(opts.parentDir));
}

async function startSchedulerOnce(parentDir?: string): Promise<SchedulerServer> {
  const bin = await daprBinaries();
  const dir = await ownDir('dapr-scheduler', parentDir);
  const [port, healthzPort, metricsPort, etcdClientPort, etcdPeerPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const proc = daprProcess(
    'dapr scheduler',
    bin.scheduler,
    [
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      `--healthz-port=${healthzPort}`,
      '--healthz-listen-address=127.0.0.1',
      `--metrics-port=${metricsPort}`,
      '--metrics-listen-address=127.0.0.1',
      `--etcd-data-dir=${join(dir, 'etcd')}`,
      `--etcd-client-port=${etcdClientPort}`,
      '--etcd-client-listen-address=127.0.0.1',
      `--etcd-initial-cluster=dapr-scheduler-server-0=http://127.0.0.1:${etcdPeerPort}`,
      // Its default, $TMPDIR/secrets/dapr.io/tls, is shared by every scheduler on the machine.
      `--identity-directory-write=${join(dir, 'identity')}`,
    ],
    join(dir, 'scheduler.log'),
    () => answers(`http://127.0.0.1:${healthzPort}/healthz`),
  );
  const address = `127.0.0.1:${port}`;
  return startServer<SchedulerServer>(proc, dir, {
    name: 'dapr-scheduler',
    address,
    logTail: () => proc.logTail(),
    env: { DAPR_SCHEDULER_HOST_ADDRESS: address },
  });
}

export interface DaprdOptions {
  readonly appId: string;
  /** The app's port on 127.0.0.1; none means a sidecar without an app (it only calls out). */
  readonly appPort?: number;
  /** The folder of Component (and Resiliency, Subscription …) files. */
  readonly resourcesPath: string;
  /** A scheduler's `address`, for the Jobs API. */
  readonly schedulerAddress: string;
  /** A Configuration file. */
  readonly config?: string;
  /** More daprd flags, e.g. those the sidecar injector derives from a pod's `dapr.io/*` annotations. */
  readonly args?: readonly string[];
  /** Added to daprd's environment, e.g. DAPR_API_TOKEN and APP_API_TOKEN. */
  readonly env?: Record<string, string>;
  /**
   * Start-up waits until the app is reachable and subscribed (`/v1.0/healthz`), not only until the outbound
   * APIs answer. Default: when appPort is set; false for an app started after its sidecar (`appConnected()`).
   */
  readonly waitForApp?: boolean;
  readonly parentDir?: string;
}

export interface DaprdServer extends RunningServer {
  readonly appId: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** `http://127.0.0.1:<httpPort>`, the Dapr HTTP API. */
  readonly httpUrl: string;
  /** Stops the sidecar but keeps its ports and folder (SIGKILL for a crash), as an outage would. */
  stopSidecar(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the stopped sidecar again on the same ports, resolving once it is healthy. */
  startSidecar(): Promise<void>;
  /** Resolves once the sidecar reaches its app and has its subscriptions (`/v1.0/healthz` answers 2xx). */
  appConnected(timeoutMs?: number): Promise<void>;
  /** The end of its log. */
  logTail(): Promise<string>;
}

/** Starts a daprd sidecar on free loopback ports, in standalone mode with no placement service. */
export function startDaprd(opts: DaprdOptions): Promise<DaprdServer> {
  return retryOnPortClash(() => startDaprdOnce(opts));
}

async function startDaprdOnce(opts: DaprdOptions): Promise<DaprdServer> {
  const bin = await daprBinaries();
  const dir = await ownDir(`daprd-${opts.appId}`, opts.parentDir);
  const [httpPort, grpcPort, internalGrpcPort, metricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const waitForApp = opts.waitForApp ?? opts.appPort !== undefined;
  const proc = daprProcess(
    `daprd ${opts.appId}`,
    bin.daprd,
    [
      `--app-id=${opts.appId}`,
      ...(opts.appPort !== undefined ? [`--app-port=${opts.appPort}`] : []),
      '--app-channel-address=127.0.0.1',
      `--dapr-http-port=${httpPort}`,
      `--dapr-grpc-port=${grpcPort}`,
      `--dapr-internal-grpc-port=${internalGrpcPort}`,
      '--dapr-internal-grpc-listen-address=127.0.0.1',
      '--dapr-listen-addresses=127.0.0.1',
      `--metrics-port=${metricsPort}`,
      '--metrics-listen-address=127.0.0.1',
      `--resources-path=${opts.resourcesPath}`,
      `--scheduler-host-address=${opts.schedulerAddress}`,
      '--placement-host-address=',
      ...(opts.config ? [`--config=${opts.config}`] : []),
      ...(opts.args ?? []),
    ],
    join(dir, 'daprd.log'),
    () => answers(`${httpUrl}/v1.0/healthz${waitForApp ? '' : '/outbound'}`),
    opts.env,
  );
  return startServer<DaprdServer>(proc, dir, {
    name: 'daprd',
    appId: opts.appId,
    httpPort,
    grpcPort,
    httpUrl,
    env: { DAPR_HTTP_PORT: String(httpPort), DAPR_GRPC_PORT: String(grpcPort) },
    stopSidecar: (signal?: NodeJS.Signals) => proc.stop(signal),
    startSidecar: () => proc.start(),
    logTail: () => proc.logTail(),
    async appConnected(timeoutMs = 60_000) {
      await eventually(
        `daprd ${opts.appId} connected to its app`,
        () => answers(`${httpUrl}/v1.0/healthz`),
        timeoutMs,
        100,
      );
    },
  });
}

/** A pubsub.kafka Component for brokers without TLS or authentication (the test broker). */
export function kafkaPubsubComponent(name: string, brokers: string[], consumerGroup: string): string {
  return [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  type: pubsub.kafka',
    '  version: v1',
    '  metadata:',
    '    - name: brokers',
    `      value: "${brokers.join(',')}"`,
    '    - name: consumerGroup',
    `      value: "${consumerGroup}"`,
    '    - name: authType',
    '      value: none',
    '    - name: disableTls',
    '      value: "true"',
    // A new consumer group reads what was published before it joined, rather than losing it.
    '    - name: initialOffset',
    '      value: oldest',
    '',
  ].join('\n');
}

/** A Dapr resource (Component, Resiliency …) as Kubernetes holds it. */
export interface DaprResource {
  readonly metadata: { readonly name: string };
  readonly spec?: unknown;
}

/**
 * Writes Dapr resources into `resourcesPath` as a standalone daprd loads them, one `<name>.yaml` each. There is no
 * Kubernetes to read Secrets from: a `secretstores.kubernetes` component becomes a `secretstores.local.file` of
 * the same name over `secretsFile`, which gets `secrets` (the Secret's keys, decoded). Returns what it wrote.
 */
export async function writeStandaloneResources<T extends DaprResource>(
  resourcesPath: string,
  resources: readonly T[],
  secretsFile: string,
  secrets: Record<string, string>,
): Promise<T[]> {
  await writeFile(secretsFile, JSON.stringify(secrets));
  const standalone = resources.map((r) =>
    (r.spec as { type?: string } | undefined)?.type === 'secretstores.kubernetes'
      ? {
          ...r,
          spec: {
            type: 'secretstores.local.file',
            version: 'v1',
            metadata: [{ name: 'secretsFile', value: secretsFile }],
          },
        }
      : r,
  );
  // JSON is YAML; daprd reads the *.yaml files of its resources path.
  for (const r of standalone)
    await writeFile(join(resourcesPath, `${r.metadata.name}.yaml`), JSON.stringify(r));
  return standalone;
}

export interface DaprSidecarWithScheduler extends RunningServer {
  readonly sidecar: DaprdServer;
  readonly scheduler: SchedulerServer;
}

/**
 * A scheduler and one sidecar pointed at it, in a folder of their own: `writeResources` fills the sidecar's
 * resources path first (and may put files its components name, such as a secrets file, in `dir`). `stop()`
 * stops the sidecar, then the scheduler it streams jobs from, and removes the folder.
 */
export async function startSidecarWithScheduler(opts: {
  sidecar: Omit<DaprdOptions, 'resourcesPath' | 'schedulerAddress' | 'parentDir'>;
  writeResources?: (resourcesPath: string, dir: string) => Promise<unknown>;
  dirPrefix?: string;
}): Promise<DaprSidecarWithScheduler> {
  const dir = await tempDir(opts.dirPrefix ?? 'dapr');
  let scheduler: SchedulerServer | undefined;
  try {
    const resourcesPath = join(dir, 'resources');
    await mkdir(resourcesPath);
    await opts.writeResources?.(resourcesPath, dir);
    scheduler = await startScheduler({ parentDir: dir });
    const sidecar = await startDaprd({
      ...opts.sidecar,
      resourcesPath,
      schedulerAddress: scheduler.address,
      parentDir: dir,
    });
    const running = scheduler;
    return {
      name: 'dapr',
      sidecar,
      scheduler: running,
      env: { ...sidecar.env, ...running.env },
      // In stopping order: the sidecar before the scheduler.
      pids: [...sidecar.pids, ...running.pids],
      dir,
      async stop() {
        await sidecar.stop();
        await running.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await scheduler?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * For `npm run infra -- up dapr`: a scheduler and one sidecar (app id `todo-api`, app on PORT or 8080) whose
 * resources hold a `kafka-pubsub` component when brokers are given. The sidecar does not wait for the app,
 * which is started afterwards with the printed DAPR_HTTP_PORT.
 */
export async function startDapr(opts: { kafkaBrokers?: string[] } = {}): Promise<RunningServer> {
  const { name, env, pids, dir, stop } = await startSidecarWithScheduler({
    sidecar: { appId: 'todo-api', appPort: Number(process.env.PORT ?? 8080), waitForApp: false },
    async writeResources(resourcesPath) {
      if (opts.kafkaBrokers)
        await writeFile(
          join(resourcesPath, 'pubsub.yaml'),
          kafkaPubsubComponent('kafka-pubsub', opts.kafkaBrokers, 'todo-api'),
        );
    },
  });
  return { name, env, pids, dir, stop };
}
