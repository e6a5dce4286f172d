/**
 * Readiness means the caches are complete: an operator that cannot list one of its kinds yet (here: RBAC
 * without list/watch on Secrets) answers /readyz with 503 and reconciles nothing, instead of starting workers
 * that would take missing cache entries for missing children; once it may list them, it turns ready and works.
 */
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api } from '../src/kube/api.js';
import type { ResourceKind } from '../src/kube/resources.js';
import { CLUSTER_RULES, type PolicyRule } from '../src/rbac/rules.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  installCrds,
  serviceAccountAccess,
  useCluster,
} from './support/cluster.js';
import { aTodoApp, condition, createTodoApp, getTodoApp, runOperator, stopSuite } from './support/todoapp.js';

const NS = 'readiness';
const SA = 'limited-operator';
const BROKERS = ['127.0.0.1:1'];
let cluster: Cluster;
let operator: RunningOperator | undefined;

const rbac = (kind: string, plural: string): ResourceKind => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind,
  plural,
});
const ROLES = rbac('ClusterRole', 'clusterroles');
const BINDINGS = rbac('ClusterRoleBinding', 'clusterrolebindings');

async function grant(name: string, rules: PolicyRule[]): Promise<void> {
  await new Api(cluster.admin, ROLES, undefined).apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules,
  });
  await new Api(cluster.admin, BINDINGS, undefined).apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
  });
}

/** The operator's rules, except that Secrets may be read one by one but not listed or watched. */
const withoutListingSecrets: PolicyRule[] = CLUSTER_RULES.flatMap((rule) =>
  rule.resources.includes('secrets')
    ? [
        { ...rule, resources: rule.resources.filter((r) => r !== 'secrets') },
        { ...rule, resources: ['secrets'], verbs: rule.verbs.filter((v) => v !== 'list' && v !== 'watch') },
      ]
    : [rule],
);

async function readyz(): Promise<number> {
  if (!operator) throw new Error('the operator did not start');
  const { port } = operator.http.address() as { port: number };
  return (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
}

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, NS);
  await grant(SA, withoutListingSecrets);
  await cluster.admin.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: SA } });
  operator = await runOperator(await serviceAccountAccess(cluster, NS, SA));
});
afterAll(() => stopSuite(operator, cluster?.access));

it('is not ready and reconciles nothing until every cache has synced, then is ready and reconciles', async () => {
  await createSecret(cluster.admin, NS, 'waiting-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(cluster.admin, aTodoApp(NS, 'waiting', BROKERS));
  const controller = operator?.controller();
  // The TodoApp is in its cache and queued, but the Secret cache cannot fill: no worker may take it.
  await eventually('TodoApp cached', async () => controller?.todoApps.get(NS, 'waiting'));
  expect(await readyz()).toBe(503);
  expect(controller?.synced).toBe(false);
  expect(controller?.queue.stats()).toEqual({ depth: 1, processing: 0 });
  expect((await getTodoApp(cluster.admin, NS, 'waiting'))?.status).toBeUndefined();

  await grant(`${SA}-secrets`, [{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] }]);
  await eventually('ready', async () => (await readyz()) === 200, 45_000);
  await eventually(
    'reconciled',
    async () => condition(await getTodoApp(cluster.admin, NS, 'waiting'), 'DatabaseReady')?.status === 'True',
  );
}, 90_000);
