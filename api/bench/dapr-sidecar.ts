/**
 * The Dapr side of `npm run bench:events`: a real daprd (and Dapr's scheduler) on loopback, loading the
 * components the operator renders for a TodoApp on the bench's Kafka, and the API environment the operator
 * gives the container (EVENT_BUS=dapr, the tenant's pubsub, the app token). The Kubernetes secret store
 * becomes a local file store of the same name, as in the end-to-end suite.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { allTopicNames } from '@todo/contract';
import { type DaprdServer, freePort, startSidecarWithScheduler, writeStandaloneResources } from '@todo/infra';
import {
  APP_TOKEN_KEY,
  apiEnvironment,
  appId,
  desiredConfigMap,
  desiredDaprComponents,
  desiredDeployment,
  desiredSecret,
  type TodoApp,
} from '@todo/operator/desired';
import { kafkaClient } from '../src/events/kafka/client.js';
import { ensureTopics } from '../src/events/kafka/ensure-topics.js';

export interface BenchSidecar {
  readonly sidecar: DaprdServer;
  /** The port the API must listen on (daprd's app channel). */
  readonly appPort: number;
  /** The API's environment as the operator renders it, pointed at this sidecar and port. */
  readonly apiEnv: Record<string, string>;
  stop(): Promise<void>;
}

const PARTITIONS = 3;

function benchTodoApp(name: string, brokers: string[], topicPrefix: string): TodoApp {
  return {
    apiVersion: 'tenancy.todo.dev/v1alpha1',
    kind: 'TodoApp',
    metadata: { name, namespace: 'bench', uid: `uid-${name}`, generation: 1 },
    spec: {
      image: 'ghcr.io/owner/todo-api:bench',
      replicas: 1,
      database: { secretRef: { name: `${name}-db`, key: 'url' } },
      // As on the kafka side: reminders are not what this bench measures, and its tasks have none.
      reminders: { backend: 'database' },
      deletionPolicy: 'Retain',
      kafka: { brokers, topicPrefix, partitions: PARTITIONS, replicationFactor: 1 },
      dapr: { enabled: true, logLevel: 'warn' },
    },
  };
}

/**
 * Creates the tenant's topics (the operator's job on a cluster), renders its components and starts the
 * scheduler and the sidecar. The sidecar does not wait for the app: the caller starts the API on `appPort`,
 * then awaits `sidecar.appConnected()`.
 */
export async function startBenchSidecar(o: {
  brokers: string[];
  topicPrefix: string;
  databaseUrl: string;
}): Promise<BenchSidecar> {
  const app = benchTodoApp(`bench${randomBytes(3).toString('hex')}`, o.brokers, o.topicPrefix);
  const secret = desiredSecret(app, {
    jwtSecret: randomBytes(32).toString('base64url'),
    appToken: randomBytes(32).toString('base64url'),
    databaseUrl: o.databaseUrl,
  });
  const env = apiEnvironment(desiredDeployment(app, 'bench'), desiredConfigMap(app), secret);
  const secretData = Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString(),
    ]),
  );

  const admin = kafkaClient({ brokers: o.brokers }, { retries: 2 }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, allTopicNames(o.topicPrefix), PARTITIONS);
  } finally {
    await admin.disconnect();
  }

  const appPort = await freePort();
  const dapr = await startSidecarWithScheduler({
    dirPrefix: 'bench-dapr',
    sidecar: {
      appId: appId(app),
      appPort,
      env: { APP_API_TOKEN: secretData[APP_TOKEN_KEY]!, NAMESPACE: app.metadata.namespace },
      waitForApp: false,
    },
    writeResources: (resourcesPath, dir) =>
      writeStandaloneResources(
        resourcesPath,
        desiredDaprComponents(app),
        join(dir, 'secrets.json'),
        secretData,
      ),
  });
  const apiEnv = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    sidecar: dapr.sidecar,
    appPort,
    apiEnv: { ...apiEnv, PORT: String(appPort), DAPR_HTTP_PORT: String(dapr.sidecar.httpPort) },
    stop: () => dapr.stop(),
  };
}
