/**
 * Least privilege, proven: the operator runs with a ServiceAccount token bound to exactly the RBAC the chart
 * ships (rendered from charts/todo-operator/templates), and must still do its whole job.
 */
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient, type KubeObject } from '../src/kube/client.js';
import { KubeApiError } from '../src/kube/errors.js';
import type { ClusterAccess } from '../src/kube/kubeconfig.js';
import { collectionPath, KINDS, objectPath } from '../src/kube/resources.js';
import { LEASE_NAME, type RunningOperator } from '../src/runtime/operator.js';
import { renderChartTemplate } from './support/chart.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  find,
  installCrds,
  useCluster,
} from './support/cluster.js';
import { aTodoApp, condition, createTodoApp, getTodoApp, runOperator } from './support/todoapp.js';

const RELEASE = { name: 'todo-operator', namespace: 'todo-system' };
const NS = 'rbac-tenants';
let cluster: Cluster;
let kafka: KafkaAccess;
let operator: RunningOperator | undefined;
let asOperator: KubeClient;

const plural: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/{ns}/serviceaccounts',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
};

async function applyChartObject(obj: KubeObject): Promise<void> {
  const base = plural[obj.kind ?? '']?.replace('{ns}', obj.metadata.namespace ?? '');
  if (!base) throw new Error(`no path for ${obj.kind}`);
  await cluster.admin.apply(`${base}/${obj.metadata.name}`, obj);
}

/** Access that authenticates with a TokenRequest token of the chart's ServiceAccount. */
async function serviceAccountAccess(): Promise<ClusterAccess> {
  const request = await cluster.admin.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${RELEASE.namespace}/serviceaccounts/${RELEASE.name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  const { token } = request.status;
  // The admin's server and CA, but the ServiceAccount's token instead of the admin client certificate.
  return {
    server: cluster.adminAccess.server,
    ca: cluster.adminAccess.ca,
    namespace: RELEASE.namespace,
    token: async () => token,
  };
}

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, RELEASE.namespace);
  await createNamespace(cluster.admin, NS);
  for (const template of ['serviceaccount.yaml', 'rbac.yaml']) {
    for (const obj of await renderChartTemplate(template, RELEASE)) await applyChartObject(obj);
  }
  const operatorAccess = await serviceAccountAccess();
  asOperator = KubeClient.fromAccess(operatorAccess);
  operator = await runOperator(operatorAccess, {
    LEADER_ELECTION: 'true',
    LEASE_NAMESPACE: RELEASE.namespace,
    POD_NAME: 'todo-operator-0',
  });
});

afterAll(async () => {
  await operator?.stop();
  await Promise.all([cluster?.access.stop(), kafka?.stop()]);
});

it('does its whole job with only the chart RBAC: children, topics, status, events, lease, finalizer', async () => {
  await createSecret(cluster.admin, NS, 'lp-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(
    cluster.admin,
    aTodoApp(NS, 'lp', kafka.brokers, { deletionPolicy: 'Delete', ingress: { host: 'lp.example.com' } }),
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
    ['configMap', 'lp-config'],
    ['ingress', 'lp'],
    ['daprComponent', 'lp-pubsub'],
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
