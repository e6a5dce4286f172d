/** Builder-style TodoApp fixtures and helpers to run an operator in-process against a test cluster. */
import pino from 'pino';
import type { Condition, TodoApp, TodoAppSpec } from '../../src/crd/todoapp.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { ClusterAccess } from '../../src/kube/kubeconfig.js';
import { collectionPath, KINDS, objectPath } from '../../src/kube/resources.js';
import { loadConfig } from '../../src/runtime/config.js';
import { type RunningOperator, startOperator } from '../../src/runtime/operator.js';
import { find } from './cluster.js';

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
