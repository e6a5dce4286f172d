/**
 * The operator chart, rendered by the real `helm template`: every object is accepted by a real API server, the
 * pods pass Pod Security `restricted`, values.schema.json refuses bad values, and the optional objects follow
 * their values.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type {
  V1ClusterRoleBinding,
  V1Deployment,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V1Service,
} from '@kubernetes/client-node';
import { parser as promql } from '@prometheus-io/lezer-promql';
import { upstreamCrdFiles } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../src/kube/client.js';
import { KubeApiError } from '../src/kube/errors.js';
import { CONFIG_VARIABLES } from '../src/runtime/config.js';
import { createMetrics } from '../src/runtime/metrics.js';
import { CHART_DIR, ChartRenderError, chartObjectPath, renderChart } from './support/chart.js';
import { type Cluster, installCrd, installCrds, repoFile, useCluster } from './support/cluster.js';

const RELEASE = { name: 'todo-operator', namespace: 'todo-system' };
const MONITORING = {
  'metrics.serviceMonitor.enabled': true,
  'metrics.tenantPodMonitor.enabled': true,
  'metrics.prometheusRule.enabled': true,
};
let cluster: Cluster;
let objects: KubeObject[];

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  for (const file of await upstreamCrdFiles('prometheus-operator')) {
    if (/(servicemonitors|podmonitors|prometheusrules)\.yaml$/.test(file))
      await installCrd(cluster.admin, pathToFileURL(file));
  }
  // The operator's namespace enforces Pod Security `restricted`, as the chart's docs ask.
  await cluster.admin.apply(`/api/v1/namespaces/${RELEASE.namespace}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: RELEASE.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  });
  objects = await renderChart(RELEASE);
  // A pod's ServiceAccount must exist for its admission (below): this one is applied for real.
  const account = objects.find((o) => o.kind === 'ServiceAccount');
  if (account) await cluster.admin.apply(chartObjectPath(account), account);
});
afterAll(() => cluster?.access.stop());

const find = <T>(kind: string, from = objects) => from.find((o) => o.kind === kind) as unknown as T;
const kinds = (from: KubeObject[]) => from.map((o) => o.kind).sort();

const dryRunApply = (obj: KubeObject) =>
  cluster.admin.request(
    'PATCH',
    `${chartObjectPath(obj)}?fieldManager=chart-test&dryRun=All`,
    obj,
    'application/apply-patch+yaml',
  );

/** Creates (dry run) a pod from the Deployment's template, which is what Pod Security admission judges. */
async function podAdmission(deployment: V1Deployment): Promise<number> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'chart-pod', namespace: RELEASE.namespace },
    spec: deployment.spec?.template.spec,
  };
  return cluster.admin.request('POST', `/api/v1/namespaces/${RELEASE.namespace}/pods?dryRun=All`, pod).then(
    () => 201,
    (err: unknown) => {
      if (!(err instanceof KubeApiError)) throw err;
      return err.status;
    },
  );
}

describe('charts/todo-operator', () => {
  it('renders, by default, the objects an operator needs and no monitoring objects', () => {
    expect(kinds(objects)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('renders objects the API server accepts (server-side dry run), monitoring included', async () => {
    for (const obj of await renderChart(RELEASE, { values: MONITORING })) await dryRunApply(obj);
  });

  it('narrows the NetworkPolicy to the peers given, still accepted by the API server', async () => {
    const scraper = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const controlPlane = { ipBlock: { cidr: '10.0.0.1/32' } };
    const [policy] = await renderChart(RELEASE, {
      values: { 'networkPolicy.metricsFrom': [scraper], 'networkPolicy.egress.apiServer.to': [controlPlane] },
      showOnly: ['templates/networkpolicy.yaml'],
    });
    // As written on the wire (the client library's type names `from` `_from`).
    type Rule = { from?: unknown[]; to?: unknown[]; ports?: { port: unknown }[] };
    const { spec } = policy as unknown as { spec: { ingress: Rule[]; egress: Rule[] } };
    expect(spec.ingress[0]?.from).toEqual([scraper]);
    expect(spec.egress.find((r) => r.ports?.some((p) => p.port === 6443))?.to).toEqual([controlPlane]);
    if (policy) await dryRunApply(policy);
  });

  it('runs pods that Pod Security `restricted` admits, and a pod without its securityContext would not be', async () => {
    const deployment = find<V1Deployment>('Deployment');
    expect(await podAdmission(deployment)).toBe(201);
    const spec = deployment.spec?.template.spec;
    const insecure = structuredClone(deployment);
    if (insecure.spec?.template.spec && spec) {
      insecure.spec.template.spec = {
        ...spec,
        securityContext: {},
        containers: spec.containers.map(({ securityContext: _, ...c }) => c),
      };
    }
    expect(await podAdmission(insecure)).toBe(403);
  });

  it('runs two replicas under the ServiceAccount the RBAC is bound to, never both down by a drain', () => {
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
    const pdb = find<V1PodDisruptionBudget>('PodDisruptionBudget');
    expect(pdb.spec?.minAvailable).toBe(1);
    expect(pdb.spec?.selector?.matchLabels).toEqual(deployment.spec?.selector.matchLabels);
  });

  it('has no PodDisruptionBudget with one replica, where it would block every drain', async () => {
    expect(kinds(await renderChart(RELEASE, { values: { replicas: 1 } }))).not.toContain(
      'PodDisruptionBudget',
    );
  });

  it("runs the image's operator entry point, tagged with the chart's appVersion unless a tag is given", async () => {
    const { appVersion } = parse(await readFile(`${CHART_DIR}/Chart.yaml`, 'utf8')) as { appVersion: string };
    const container = find<V1Deployment>('Deployment').spec?.template.spec?.containers[0];
    expect(container?.image).toBe(`ghcr.io/todo-dev/todo-operator:${appVersion}`);
    // The image's ENTRYPOINT is node; the chart passes the same script as the Dockerfile's CMD.
    expect(container?.command).toBeUndefined();
    expect(container?.args).toEqual(['operator/dist/main.js']);
    const dockerfile = await readFile(repoFile('Dockerfile'), 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('AS operator\n'));
    expect(JSON.parse(/^CMD (\[.*\])$/m.exec(stage)?.[1] ?? 'null')).toEqual(container?.args);
    const tagged = await renderChart(RELEASE, {
      values: { 'image.tag': 'sha-1a2b3c4', imagePullSecrets: [{ name: 'ghcr' }] },
      showOnly: ['templates/deployment.yaml'],
    });
    const pod = find<V1Deployment>('Deployment', tagged).spec?.template.spec;
    expect(pod?.containers[0]?.image).toBe('ghcr.io/todo-dev/todo-operator:sha-1a2b3c4');
    expect(pod?.imagePullSecrets).toEqual([{ name: 'ghcr' }]);
  });

  it('sets only environment variables the operator reads, and probes its health endpoints', () => {
    const container = find<V1Deployment>('Deployment').spec?.template.spec?.containers[0];
    for (const env of container?.env ?? []) expect(CONFIG_VARIABLES).toContain(env.name);
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
  });

  it('serves metrics through a Service, and lets nothing else in', () => {
    const deployment = find<V1Deployment>('Deployment');
    const service = find<V1Service>('Service');
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    expect(service.spec?.ports).toEqual([
      { name: 'metrics', port: 8081, targetPort: 'http', protocol: 'TCP' },
    ]);
    const policy = find<V1NetworkPolicy>('NetworkPolicy').spec;
    expect(policy?.podSelector?.matchLabels).toEqual(deployment.spec?.selector.matchLabels);
    expect(policy?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy?.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    const egressPorts = policy?.egress?.flatMap((r) => r.ports?.map((p) => p.port) ?? []);
    expect(egressPorts).toEqual([53, 53, 443, 6443, 9092, 9093, 5432]);
  });

  it('alerts on metrics the operator really exports', async () => {
    const rendered = await renderChart(RELEASE, {
      values: MONITORING,
      showOnly: ['templates/prometheusrule.yaml'],
    });
    const rule = find<{ spec: { groups: { rules: { alert: string; expr: string; for?: string }[] }[] } }>(
      'PrometheusRule',
      rendered,
    );
    const exported = (await createMetrics(false).registry.getMetricsAsJSON()).map((m) => m.name);
    const alerts = rule.spec.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual([
      'TodoOperatorReconcileErrors',
      'TodoOperatorNoLeader',
      'TodoOutboxBacklogAge',
      'TodoConsumerStalled',
      'TodoConsumerRestarts',
    ]);
    const operatorAlerts = alerts.filter((a) => a.expr.includes('todo_operator_'));
    expect(operatorAlerts).toHaveLength(4);
    for (const alert of operatorAlerts) {
      const metric = /(todo_operator_[a-z_]+)/.exec(alert.expr)![1]!;
      expect(exported, alert.alert).toContain(metric);
    }
    // Each expression parses as PromQL (the Prometheus project's own grammar; a rule that does not is refused
    // when Prometheus loads it, and with it the whole group).
    for (const alert of alerts) expect(promqlErrors(alert.expr), alert.alert).toEqual([]);
    expect(promqlErrors('sum by (a (x) > 0')).not.toEqual([]);
    const stalled = alerts.find((a) => a.alert === 'TodoConsumerStalled')!;
    expect(stalled.expr).toContain('by (exported_namespace, todoapp, group)');
    expect(stalled).toMatchObject({ for: '15m' });
  });

  it.each([
    ['no replicas', { replicas: 0 }, 'replicas'],
    ['an unknown pull policy', { 'image.pullPolicy': 'Sometimes' }, 'pullPolicy'],
    ['a misspelt value', { replica: 2 }, 'replica'],
    ['a memory limit that is not a quantity', { 'resources.limits.memory': '1 GB' }, 'memory'],
    ['a pull secret without a name', { imagePullSecrets: [{}] }, 'name'],
  ])('refuses %s (values.schema.json)', async (_, values, field) => {
    const err = await renderChart(RELEASE, { values }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChartRenderError);
    expect((err as Error).message).toContain("values don't meet the specifications of the schema");
    expect((err as Error).message).toContain(field);
  });
});

/** Where `expr` does not parse as PromQL: the offsets of the parse tree's error nodes. */
function promqlErrors(expr: string): number[] {
  const errors: number[] = [];
  promql.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}
