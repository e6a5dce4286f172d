/** Builder-style TodoApp fixtures and helpers to run an operator in-process against a test cluster. */
import type { V1Deployment } from '@kubernetes/client-node';
import { eventually } from '@todo/infra/testing';
import pino from 'pino';
import { reconcilingKey } from '../../src/controller/controller.js';
import type { Condition, TodoApp, TodoAppSpec } from '../../src/crd/todoapp.js';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import type { ClusterAccess } from '../../src/kube/kubeconfig.js';
import { collectionPath, KINDS, objectPath } from '../../src/kube/resources.js';
import { loadConfig } from '../../src/runtime/config.js';
import { type RunningOperator, startOperator } from '../../src/runtime/operator.js';
import { type Cluster, createNamespace, find, installCrds } from './cluster.js';

type SpecInput = Partial<Omit<TodoAppSpec, 'kafka'>> & { kafka?: Partial<TodoAppSpec['kafka']> };

/** A TodoApp manifest as a user would write it (defaults left to the API server). */
export function aTodoApp(namespace: string, name: string, brokers: string[], spec: SpecInput = {}) {
  const { kafka, ...rest } = spec;
  return {
    apiVersion: 'tenancy.todo.dev/v1alpha1',
    kind: 'TodoApp',
    metadata: { name, namespace },
    spec: {
      image: 'ghcr.io/owner/todo-api:1.0.0',
      database: { secretRef: { name: `${name}-db`, key: 'url' } },
      ...rest,
      kafka: { brokers, topicPrefix: `${namespace}-${name}`, ...kafka },
    },
  };
}

export async function createTodoApp(
  client: KubeClient,
  manifest: ReturnType<typeof aTodoApp>,
): Promise<TodoApp> {
  return client.request<TodoApp>(
    'POST',
    collectionPath(KINDS.todoApp, manifest.metadata.namespace),
    manifest,
  );
}

export async function patchSpec(
  client: KubeClient,
  ns: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<TodoApp> {
  return client.mergePatch<TodoApp>(objectPath(KINDS.todoApp, ns, name), { spec });
}

export const getTodoApp = (client: KubeClient, ns: string, name: string) =>
  find<TodoApp>(client, 'todoApp', ns, name);

export const condition = (app: TodoApp | undefined, type: string): Condition | undefined =>
  app?.status?.conditions?.find((c) => c.type === type);

/** Runs an operator in this process; leader election off unless asked for. */
export function runOperator(
  access: ClusterAccess,
  env: Record<string, string> = {},
): Promise<RunningOperator> {
  const config = loadConfig({
    OPERATOR_HTTP_PORT: '0',
    LEADER_ELECTION: 'false',
    OPERATOR_RESYNC_SECONDS: '30',
    ...env,
  });
  return startOperator(access, config, pino({ level: process.env.OPERATOR_TEST_LOG ?? 'silent' }));
}

/** A suite's usual start: the CRDs installed, the namespace `ns` created, and an operator running as the admin. */
export async function operateNamespace(
  cluster: Cluster,
  ns: string,
  env: Record<string, string> = {},
): Promise<RunningOperator> {
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, ns);
  return runOperator(cluster.adminAccess, env);
}

/** A suite's end: the operator first, then the servers it used; whatever did not start is skipped. */
export async function stopSuite(
  operator: RunningOperator | undefined,
  ...servers: ({ stop(): Promise<void> } | undefined)[]
): Promise<void> {
  await operator?.stop();
  await Promise.all(servers.map((server) => server?.stop()));
}

/**
 * Waits until the operator is idle, queues `ns/name` once more, waits for that reconcile, and returns how many
 * writes it sent to the API server (none, in a steady state).
 */
export async function writesOfAnotherReconcile(operator: RunningOperator, ns: string, name: string) {
  const key = `${ns}/${name}`;
  const reconciles = async () =>
    (await operator.metrics.reconciles.get()).values.reduce((n, v) => n + v.value, 0);
  const idle = () => {
    const stats = operator.controller()?.queue.stats();
    return stats?.depth === 0 && stats.processing === 0;
  };
  await eventually('queue idle', async () => idle());
  // Only this TodoApp's writes: another tenant's retry or the watchdog may write while it runs.
  let writes = 0;
  const onRequest = operator.client.onRequest;
  operator.client.onRequest = (kind) => {
    onRequest?.(kind);
    if (kind === 'write' && reconcilingKey() === key) writes++;
  };
  try {
    const before = await reconciles();
    operator.controller()?.queue.add(key);
    await eventually('another reconcile', async () => (await reconciles()) > before && idle());
    return writes;
  } finally {
    operator.client.onRequest = onRequest;
  }
}

/**
 * Marks `ready` of the Deployment's pods Ready, as a kubelet would: the harness's controller-manager made the
 * pods and carries their readiness to the ReplicaSet's and the Deployment's status (a status written on the
 * Deployment itself would be put back by the deployment controller).
 */
export async function markPodsReady(
  client: KubeClient,
  ns: string,
  name: string,
  ready: number,
): Promise<void> {
  const deployment = await find<V1Deployment>(client, 'deployment', ns, name);
  const selector = Object.entries(deployment?.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await eventually(`${ready} pods of ${name}`, async () => {
    const list = await client.get<{ items: KubeObject[] }>(
      `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`,
    );
    return list.items.length >= ready && list.items;
  });
  const now = new Date().toISOString();
  for (const pod of pods.slice(0, ready)) {
    await client.mergePatch(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      },
    });
  }
}
