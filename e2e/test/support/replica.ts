/** One API pod: the built API (`node dist/main.js`, as the image runs it) and its own daprd sidecar. */
import { createRequire } from 'node:module';
import { type DaprdServer, freePort, startDaprd } from '@todo/infra';
import { type ServerProcess, startServerProcess } from '@todo/infra/testing';

const API_MAIN = createRequire(import.meta.url).resolve('@todo/api');

export interface Replica {
  readonly name: string;
  readonly sidecar: DaprdServer;
  api: ServerProcess;
  /** The last lines the API process printed (a test's failure report). */
  apiLogTail(): string;
  /** Kills (or stops) the API process and starts it again on the same port, behind the same sidecar. */
  restartApi(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  readonly name: string;
  readonly appId: string;
  readonly resourcesPath: string;
  readonly schedulerAddress: string;
  readonly apiEnv: Record<string, string>;
  /** daprd's environment as the injector sets it (both tokens, the namespace). */
  readonly sidecarEnv: Record<string, string>;
  readonly sidecarArgs: readonly string[];
}

export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const appPort = await freePort();
  const sidecar = await startDaprd({
    appId: o.appId,
    appPort,
    resourcesPath: o.resourcesPath,
    schedulerAddress: o.schedulerAddress,
    env: o.sidecarEnv,
    args: o.sidecarArgs,
    waitForApp: false,
  });
  const startApi = () =>
    startServerProcess({
      name: `API ${o.name}`,
      args: [API_MAIN],
      port: appPort,
      env: {
        ...o.apiEnv,
        // The container's 8080 (from the ConfigMap) is this pod's own port here.
        PORT: String(appPort),
        DAPR_HTTP_PORT: String(sidecar.httpPort),
        CONSOLE_DIR: '/nonexistent',
        LOG_LEVEL: 'info',
      },
    });
  let api: ServerProcess;
  try {
    api = await startApi();
    await sidecar.appConnected();
  } catch (err) {
    await sidecar.stop();
    throw err;
  }
  const replica: Replica = {
    name: o.name,
    sidecar,
    api,
    apiLogTail: () => replica.api.output().slice(-4000),
    async restartApi(signal = 'SIGKILL') {
      await replica.api.stop(signal);
      replica.api = await startApi();
    },
    async stop() {
      await replica.api.stop();
      await sidecar.stop();
    },
  };
  return replica;
}
