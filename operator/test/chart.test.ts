/** The Helm chart, rendered as `helm template` would, is valid for a real API server and consistent with itself. */
import type { V1ClusterRoleBinding, V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/kube/client.js';
import { CONFIG_VARIABLES } from '../src/runtime/config.js';
import { renderChartTemplate } from './support/chart.js';
import { type Cluster, createNamespace, installCrds, useCluster } from './support/cluster.js';

const RELEASE = { name: 'todo-operator', namespace: 'todo-system' };
let cluster: Cluster;
let objects: KubeObject[];

const paths: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/{ns}/serviceaccounts',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
};

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, RELEASE.namespace);
  objects = [];
  for (const t of ['serviceaccount.yaml', 'rbac.yaml', 'deployment.yaml'])
    objects.push(...(await renderChartTemplate(t, RELEASE)));
});
afterAll(() => cluster?.access.stop());

const find = <T>(kind: string) => objects.find((o) => o.kind === kind) as unknown as T;

describe('charts/todo-operator', () => {
  it('renders objects the API server accepts (server-side dry run)', async () => {
    for (const obj of objects) {
      const base = paths[obj.kind ?? '']?.replace('{ns}', obj.metadata.namespace ?? '');
      expect(base, `a path for ${obj.kind}`).toBeDefined();
      await cluster.admin.request(
        'PATCH',
        `${base}/${obj.metadata.name}?fieldManager=chart-test&dryRun=All`,
        obj,
        'application/apply-patch+yaml',
      );
    }
  });

  it('runs two replicas under the ServiceAccount the RBAC is bound to', () => {
    const deployment = find<V1Deployment>('Deployment');
    const binding = find<V1ClusterRoleBinding>('ClusterRoleBinding');
    expect(deployment.spec?.replicas).toBe(2);
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: deployment.spec?.template.spec?.serviceAccountName,
        namespace: RELEASE.namespace,
      },
    ]);
  });

  it('sets only environment variables the operator reads, and probes its health endpoints', () => {
    const container = find<V1Deployment>('Deployment').spec?.template.spec?.containers[0];
    for (const env of container?.env ?? []) expect(CONFIG_VARIABLES).toContain(env.name);
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
  });
});
