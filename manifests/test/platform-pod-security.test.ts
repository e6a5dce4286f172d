/**
 * The platform's pods that can be rendered here, the Dapr control plane (its chart from the Go module, with our
 * values), meet Pod Security `restricted` with each of the platform's values files: dry-run into a namespace
 * that enforces it, no workload draws a warning, and a pod made from each workload's template is admitted.
 * Redpanda, CloudNativePG and Envoy Gateway cannot be rendered here (docs/deploy-oke.md, "Pod Security").
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type KubeServer, startKube, tempDir } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm, type StagedChart, stageChart } from './support/chart-render.js';
import { yamlObjects } from './support/cluster-setup.js';
import { KubeClient, type KubeObject } from './support/kube-client.js';
import { chartsUnderTest, repoRoot } from './support/repo-files.js';

const chart = chartsUnderTest().find((c) => c.name === 'todo-platform');
if (!chart) throw new Error('charts/todo-platform is missing');
const NAMESPACE = 'todo-platform';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** The control plane of Dapr 1.18's chart: a change of the chart that adds or drops one shows here. */
const DAPR_WORKLOADS = [
  'Deployment dapr-operator',
  'Deployment dapr-sentry',
  'Deployment dapr-sidecar-injector',
  'StatefulSet dapr-placement-server',
  'StatefulSet dapr-scheduler-server',
];

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let staged: StagedChart;

beforeAll(async () => {
  scratch = await tempDir('platform-pod-security');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  staged = await stageChart(join(repoRoot, chart.dir), join(scratch, 'todo-platform'));
  expect(staged.dependencies.find((d) => d.name === 'dapr')?.rendered).toBe(true);
  const ns = await client.apply(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NAMESPACE,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
    { dryRun: false },
  );
  expect(ns.status, ns.body).toBeLessThan(300);
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const podTemplate = (w: KubeObject) => (w.spec as { template: { metadata?: object; spec: object } }).template;

describe.each(chart.valuesFiles)('the Dapr control plane rendered with %s', (values) => {
  let workloads: KubeObject[];

  beforeAll(async () => {
    const rendered = await helm(scratch, [
      'template',
      'todo-platform',
      staged.dir,
      '--namespace',
      NAMESPACE,
      '-f',
      join(repoRoot, values),
    ]);
    expect(rendered.code, rendered.stderr).toBe(0);
    // Dapr's own label: where the other charts were fetched into charts/, their workloads are not judged here.
    workloads = yamlObjects(rendered.stdout).filter(
      (o) => WORKLOADS.has(o.kind) && o.metadata.labels?.['app.kubernetes.io/part-of'] === 'dapr',
    );
  });

  it('holds the five control-plane workloads', () => {
    expect(workloads.map((w) => `${w.kind} ${w.metadata.name}`).sort()).toEqual(DAPR_WORKLOADS);
  });

  it('draws no Pod Security warning in a namespace that enforces restricted', async () => {
    const warnings: string[] = [];
    for (const w of workloads) {
      w.metadata.namespace ??= NAMESPACE;
      const res = await client.apply(w, { dryRun: true });
      expect(res.status, res.body).toBeLessThan(300);
      warnings.push(...res.warnings.map((text) => `${w.kind} ${w.metadata.name}: ${text}`));
    }
    expect(warnings).toEqual([]);
  });

  it("admits a pod made from each workload's template there", async () => {
    const refused: string[] = [];
    for (const w of workloads) {
      const template = podTemplate(w);
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...template.metadata, name: `${w.metadata.name}-0`, namespace: NAMESPACE },
        spec: template.spec,
      };
      const res = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, pod);
      if (res.status !== 201) refused.push(`${w.metadata.name}: ${res.status} ${res.body}`);
    }
    expect(refused).toEqual([]);
  });
});

describe('the check itself', () => {
  it('refuses a Dapr pod without the seccomp profile our values give (the chart default)', async () => {
    const rendered = await helm(scratch, [
      'template',
      'todo-platform',
      staged.dir,
      '--namespace',
      NAMESPACE,
      '--set',
      'dapr.global.seccompProfile=',
    ]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const operator = yamlObjects(rendered.stdout).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'dapr-operator',
    );
    if (!operator) throw new Error('no dapr-operator Deployment rendered');
    operator.metadata.namespace = NAMESPACE;
    const applied = await client.apply(operator, { dryRun: true });
    expect(applied.warnings.join('\n')).toMatch(
      /would violate PodSecurity "restricted:latest": seccompProfile .*"dapr-operator"/,
    );
    const template = podTemplate(operator);
    const res = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...template.metadata, name: 'dapr-operator-0', namespace: NAMESPACE },
      spec: template.spec,
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/violates PodSecurity "restricted:latest": seccompProfile/);
  });
});
