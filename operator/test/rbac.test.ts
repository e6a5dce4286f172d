/**
 * Least privilege, proven: the operator runs with a ServiceAccount token bound to exactly the RBAC the chart
 * ships (rendered by `helm template` from charts/todo-operator), and must still do its whole job.
 */
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../src/kube/client.js';
import { KubeApiError } from '../src/kube/errors.js';
import { collectionPath, KINDS, objectPath } from '../src/kube/resources.js';
import { STATESTORE_ANNOTATION } from '../src/reconcile/desired/dapr.js';
import { LEASE_NAME, type RunningOperator } from '../src/runtime/operator.js';
import { chartObjectPath, renderChart } from './support/chart.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  find,
  installCrds,
  installGatewayApiCrds,
  serviceAccountAccess,
  useCluster,
} from './support/cluster.js';
import { aTodoApp, condition, createTodoApp, getTodoApp, runOperator, stopSuite } from './support/todoapp.js';

const RELEASE = { name: 'todo-operator', namespace: 'todo-system' };
const NS = 'rbac-tenants';
let cluster: Cluster;
let kafka: KafkaAccess;
let operator: RunningOperator | undefined;
let asOperator: KubeClient;

/** The HTTP status a request gets: 200 when it succeeds, the API server's refusal otherwise. */
async function statusOf(client: KubeClient, method: string, path: string, body?: unknown): Promise<number> {
  return client.request(method, path, body).then(
    () => 200,
    (err: unknown) => {
      if (!(err instanceof KubeApiError)) throw err;
      return err.status;
    },
  );
}

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  await installCrds(cluster.admin);
  await installGatewayApiCrds(cluster.admin);
  await createNamespace(cluster.admin, RELEASE.namespace);
  await createNamespace(cluster.admin, NS);
  const showOnly = ['templates/serviceaccount.yaml', 'templates/rbac.yaml'];
  for (const obj of await renderChart(RELEASE, { showOnly }))
    await cluster.admin.apply(chartObjectPath(obj), obj);
  const operatorAccess = await serviceAccountAccess(cluster, RELEASE.namespace, RELEASE.name);
  asOperator = KubeClient.fromAccess(operatorAccess);
  operator = await runOperator(operatorAccess, {
    LEADER_ELECTION: 'true',
    LEASE_NAMESPACE: RELEASE.namespace,
    POD_NAME: 'todo-operator-0',
  });
});

afterAll(() => stopSuite(operator, cluster?.access, kafka));

it('does its whole job with only the chart RBAC: children, topics, status, events, lease, finalizer', async () => {
  await createSecret(cluster.admin, NS, 'lp-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(
    cluster.admin,
    aTodoApp(NS, 'lp', kafka.brokers, {
      deletionPolicy: 'Delete',
      ingress: { host: 'lp.example.com' },
      gateway: { parentRefs: [{ name: 'public', namespace: 'gateways' }], hostnames: ['lp.example.com'] },
    }),
  );
  const app = await eventually(
    'reconciled',
    async () => {
      const a = await getTodoApp(cluster.admin, NS, 'lp');
      return (
        condition(a, 'TopicsReady')?.status === 'True' &&
        condition(a, 'DatabaseReady')?.status === 'True' &&
        a
      );
    },
    45_000,
  );
  expect(app.metadata.finalizers).toContain('tenancy.todo.dev/external-resources');
  for (const [kind, name] of [
    ['deployment', 'lp-api'],
    ['service', 'lp-api'],
    ['secret', 'lp-app'],
    ['secret', 'lp-dapr-api'],
    ['configMap', 'lp-config'],
    ['ingress', 'lp'],
    ['httpRoute', 'lp'],
    ['daprComponent', 'lp-pubsub'],
    ['daprResiliency', 'lp-resiliency'],
    ['serviceAccount', 'lp-api'],
    ['role', 'lp-api'],
    ['roleBinding', 'lp-api'],
  ] as const) {
    expect(await find(cluster.admin, kind, NS, name), `${kind} ${name}`).toBeDefined();
  }
  const events = await cluster.admin.get<{ items: { involvedObject: { name: string } }[] }>(
    collectionPath(KINDS.event, NS),
  );
  expect(events.items.some((e) => e.involvedObject.name === 'lp')).toBe(true);
  const lease = await cluster.admin.get<{ spec: { holderIdentity: string } }>(
    objectPath(KINDS.lease, RELEASE.namespace, LEASE_NAME),
  );
  expect(lease.spec.holderIdentity).toBe('todo-operator-0');

  await cluster.admin.delete(objectPath(KINDS.todoApp, NS, 'lp'));
  await eventually(
    'finalized and gone',
    async () => (await getTodoApp(cluster.admin, NS, 'lp')) === undefined,
    30_000,
  );
});

describe("a tenant's pods (ServiceAccount <name>-api, as the sidecar's Kubernetes secret store runs)", () => {
  let asTenant: KubeClient;
  const secret = (name: string, ns = NS) => objectPath(KINDS.secret, ns, name);

  beforeAll(async () => {
    await createNamespace(cluster.admin, 'rbac-elsewhere');
    await createSecret(cluster.admin, NS, 'reader-db', { url: 'postgres://x@db:5432/x' });
    await createSecret(cluster.admin, NS, 'neighbour-app', { DATABASE_URL: 'postgres://n@db:5432/n' });
    await createSecret(cluster.admin, 'rbac-elsewhere', 'reader-app', {
      DATABASE_URL: 'postgres://e@db:5432/e',
    });
    const manifest = aTodoApp(NS, 'reader', kafka.brokers);
    // The state store is what reads the tenant's app Secret through the secret store.
    await createTodoApp(cluster.admin, {
      ...manifest,
      metadata: { ...manifest.metadata, annotations: { [STATESTORE_ANNOTATION]: 'true' } },
    } as typeof manifest);
    await eventually('app Secret and Role', async () => {
      const role = await find<{ rules: unknown[] }>(cluster.admin, 'role', NS, 'reader-api');
      const binding = await find(cluster.admin, 'roleBinding', NS, 'reader-api');
      return (await find(cluster.admin, 'secret', NS, 'reader-app')) && binding && role?.rules.length === 1;
    });
    asTenant = KubeClient.fromAccess(await serviceAccountAccess(cluster, NS, 'reader-api'));
  });

  it('may get the Secret its components read', async () => {
    // The API server's authorizer reads RBAC objects from its own caches: a new grant takes effect shortly after.
    await eventually('granted', async () => (await statusOf(asTenant, 'GET', secret('reader-app'))) === 200);
  });

  it.each([
    ["get another tenant's Secret in the same namespace", 'GET', secret('neighbour-app')],
    ['get its own user Secret, which no component reads', 'GET', secret('reader-db')],
    ['get a Secret of the same name in another namespace', 'GET', secret('reader-app', 'rbac-elsewhere')],
    ['list the Secrets of its namespace', 'GET', collectionPath(KINDS.secret, NS)],
    [
      'watch its own Secret',
      'GET',
      `${collectionPath(KINDS.secret, NS)}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dreader-app`,
    ],
    ['delete its own Secret', 'DELETE', secret('reader-app')],
  ])('may not %s', async (_, method, path) => {
    expect(await statusOf(asTenant, method, path)).toBe(403);
  });

  it('loses the Secret when the state store goes: the Role follows the components', async () => {
    await cluster.admin.mergePatch(objectPath(KINDS.todoApp, NS, 'reader'), {
      metadata: { annotations: { [STATESTORE_ANNOTATION]: null } },
    });
    await eventually('Role emptied', async () => {
      const role = await find<{ rules?: unknown[] }>(cluster.admin, 'role', NS, 'reader-api');
      return role !== undefined && (role.rules ?? []).length === 0;
    });
    await eventually('revoked', async () => (await statusOf(asTenant, 'GET', secret('reader-app'))) === 403);
  });
});

it('may grant tenants only what it holds itself: no Role beyond its own permissions', async () => {
  const role = (name: string, rule: object) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: NS },
    rules: [rule],
  });
  const roles = collectionPath(KINDS.role, NS);
  const getSecret = { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['x'] };
  expect(await statusOf(asOperator, 'POST', roles, role('within', getSecret))).toBe(200);
  const execPods = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] };
  expect(await statusOf(asOperator, 'POST', roles, role('beyond', execPods))).toBe(403);
});

it.each([
  ['list pods', 'GET', '/api/v1/pods'],
  ['read CRDs', 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'],
  ['take leases outside its namespace', 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases'],
  ['create TodoApps', 'POST', `/apis/tenancy.todo.dev/v1alpha1/namespaces/${NS}/todoapps`],
  ['grant itself roles', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles'],
])('may not %s', async (_, method, path) => {
  const body = method === 'POST' ? { metadata: { name: 'x' } } : undefined;
  const err = await asOperator.request(method, path, body).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KubeApiError);
  expect((err as KubeApiError).status).toBe(403);
});
