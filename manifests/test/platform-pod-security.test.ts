/**
 * The platform's pods that can be rendered here meet Pod Security `restricted` with each of the platform's values
 * files: the Dapr control plane and Envoy Gateway (their charts from the Go modules, with our values) are
 * dry-run into a namespace that enforces it, no workload draws a warning, and a pod made from each workload's
 * template is admitted; so is the Envoy proxy Deployment Envoy Gateway makes for our Gateway. Redpanda and
 * CloudNativePG cannot be rendered here (docs/deploy-oke.md, "Pod Security of the platform").
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CNPG_VERSION,
  cnpgInstanceBinary,
  envoyProxyDeploymentFile,
  type KubeServer,
  startKube,
  tempDir,
  UPSTREAM_CRDS,
} from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helm, type StagedChart, stageChart } from './support/chart-render.js';
import { yamlObjects } from './support/cluster-setup.js';
import { KubeClient, type KubeObject } from './support/kube-client.js';
import { chartsUnderTest, repoRoot } from './support/repo-files.js';
import { runTool } from './support/tool-run.js';

const chart = chartsUnderTest().find((c) => c.name === 'todo-platform');
if (!chart) throw new Error('charts/todo-platform is missing');
const NAMESPACE = 'todo-platform';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/**
 * The workloads of the charts rendered here, Dapr 1.18's control plane and Envoy Gateway 1.9's controller and
 * its certificate Job: a change of a chart that adds or drops one shows here.
 */
const PLATFORM_WORKLOADS = [
  'Deployment dapr-operator',
  'Deployment dapr-sentry',
  'Deployment dapr-sidecar-injector',
  'Deployment envoy-gateway',
  'Job todo-platform-gateway-helm-certgen',
  'StatefulSet dapr-placement-server',
  'StatefulSet dapr-scheduler-server',
];
/** Whether `o` comes from a chart rendered here (where other charts were fetched into charts/, not theirs). */
const fromRenderedChart = (o: KubeObject) =>
  o.metadata.labels?.['app.kubernetes.io/part-of'] === 'dapr' ||
  o.metadata.labels?.['helm.sh/chart'] === `gateway-helm-${UPSTREAM_CRDS['envoy-gateway'].version}`;

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let staged: StagedChart;

beforeAll(async () => {
  scratch = await tempDir('platform-pod-security');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  staged = await stageChart(join(repoRoot, chart.dir), join(scratch, 'todo-platform'));
  for (const name of ['dapr', 'gateway-helm'])
    expect(staged.dependencies.find((d) => d.name === name)?.rendered, name).toBe(true);
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

/** A pod made from the workload's template, created as a dry run in the namespace: the status and body. */
async function admitPod(w: KubeObject): Promise<{ status: number; body: string }> {
  const template = podTemplate(w);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name: `${w.metadata.name}-0`, namespace: NAMESPACE },
    spec: template.spec,
  };
  return client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, pod);
}

/** The CloudNativePG Cluster of a render of the platform chart. */
function renderedCluster(rendered: string): KubeObject {
  const cluster = yamlObjects(rendered).find((o) => o.kind === 'Cluster');
  if (!cluster) throw new Error('no CloudNativePG Cluster rendered');
  return cluster;
}

/** The instance Pod and initdb Job CloudNativePG's code makes from `cluster` (cnpg-instance). */
async function cnpgMakes(cluster: KubeObject): Promise<KubeObject[]> {
  const res = await runTool(await cnpgInstanceBinary(), [], { input: JSON.stringify(cluster) });
  expect(res.code, res.stderr).toBe(0);
  const made = JSON.parse(res.stdout) as KubeObject[];
  for (const o of made) {
    delete o.metadata.ownerReferences; // the Cluster, which exists only as a dry run here
    delete o.status;
  }
  return made;
}

/** A values file's setting, or values.yaml's where the file leaves it out. */
/** The platform chart rendered into NAMESPACE with extra helm arguments (a values file, a --set); fails the test if helm does. */
async function renderPlatform(...args: string[]): Promise<string> {
  const rendered = await helm(scratch, [
    'template',
    'todo-platform',
    staged.dir,
    '--namespace',
    NAMESPACE,
    ...args,
  ]);
  expect(rendered.code, rendered.stderr).toBe(0);
  return rendered.stdout;
}

async function setting(values: string, path: string[]): Promise<unknown> {
  const dig = (o: unknown) =>
    path.reduce<unknown>((at, k) => (at as Record<string, unknown> | undefined)?.[k], o);
  const read = async (file: string) => parse(await readFile(join(repoRoot, file), 'utf8')) as unknown;
  return dig(await read(values)) ?? dig(await read(`${chart?.dir}/values.yaml`));
}

describe.each(chart.valuesFiles)('the Dapr control plane and Envoy Gateway rendered with %s', (values) => {
  let workloads: KubeObject[];

  beforeAll(async () => {
    const rendered = await renderPlatform('-f', join(repoRoot, values));
    workloads = yamlObjects(rendered).filter((o) => WORKLOADS.has(o.kind) && fromRenderedChart(o));
  });

  it("holds Dapr's five control-plane workloads and Envoy Gateway's two", () => {
    expect(workloads.map((w) => `${w.kind} ${w.metadata.name}`).sort()).toEqual(PLATFORM_WORKLOADS);
  });

  it("gives Envoy Gateway's controller the resources our values set", async () => {
    const controller = workloads.find((w) => w.metadata.name === 'envoy-gateway');
    if (!controller) throw new Error('no envoy-gateway Deployment rendered');
    const { containers } = podTemplate(controller).spec as { containers: { resources: object }[] };
    const wanted = await setting(values, ['gateway-helm', 'deployment', 'envoyGateway', 'resources']);
    expect(wanted).toBeTruthy();
    expect(containers.map((c) => c.resources)).toEqual([wanted]);
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
      const res = await admitPod(w);
      if (res.status !== 201) refused.push(`${w.metadata.name}: ${res.status} ${res.body}`);
    }
    expect(refused).toEqual([]);
  });
});

describe.each(chart.valuesFiles)(
  `the PostgreSQL pods CloudNativePG ${CNPG_VERSION} makes from our Cluster rendered with %s`,
  (values) => {
    let made: KubeObject[];

    beforeAll(async () => {
      made = await cnpgMakes(renderedCluster(await renderPlatform('-f', join(repoRoot, values))));
    });

    it('are the first instance and its initdb Job', () => {
      expect(made.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
        `Pod ${NAMESPACE}/todo-pg-1`,
        `Job ${NAMESPACE}/todo-pg-1-initdb`,
      ]);
    });

    it('draw no Pod Security warning in a namespace that enforces restricted, and are admitted', async () => {
      const [pod, job] = made as [KubeObject, KubeObject];
      const admitted = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, pod);
      expect(admitted.status, admitted.body).toBe(201);
      const applied = await client.apply(job, { dryRun: true });
      expect(applied.status, applied.body).toBeLessThan(300);
      expect(applied.warnings).toEqual([]);
      const res = await admitPod(job);
      expect(res.status, res.body).toBe(201);
    });
  },
);

describe("the Envoy proxy Deployment Envoy Gateway makes for a Gateway (its own tests' golden file)", () => {
  let proxy: KubeObject;

  beforeAll(async () => {
    const [deployment] = yamlObjects(await readFile(await envoyProxyDeploymentFile(), 'utf8'));
    if (deployment?.kind !== 'Deployment') throw new Error('the golden file holds no Deployment');
    proxy = deployment;
    delete proxy.metadata.ownerReferences; // its GatewayClass, made up for Envoy Gateway's tests
    proxy.metadata.namespace = NAMESPACE; // it goes into the controller's namespace: the platform's
  });

  it('draws no Pod Security warning there, and its pod is admitted', async () => {
    const applied = await client.apply(proxy, { dryRun: true });
    expect(applied.status, applied.body).toBeLessThan(300);
    expect(applied.warnings).toEqual([]);
    const res = await admitPod(proxy);
    expect(res.status, res.body).toBe(201);
  });
});

describe('the check itself', () => {
  it('refuses the PostgreSQL pod of a Cluster that asks for an unconfined seccomp profile', async () => {
    const cluster = renderedCluster(await renderPlatform());
    (cluster.spec as Record<string, unknown>).seccompProfile = { type: 'Unconfined' };
    const [pod] = await cnpgMakes(cluster);
    const res = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, pod);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(
      /violates PodSecurity "restricted:latest": seccompProfile \(pod and containers "bootstrap-controller", "postgres" must not set .* to "Unconfined"\)/,
    );
  });

  it('refuses a Dapr pod without the seccomp profile our values give (the chart default)', async () => {
    const operator = yamlObjects(await renderPlatform('--set', 'dapr.global.seccompProfile=')).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'dapr-operator',
    );
    if (!operator) throw new Error('no dapr-operator Deployment rendered');
    operator.metadata.namespace = NAMESPACE;
    const applied = await client.apply(operator, { dryRun: true });
    expect(applied.warnings.join('\n')).toMatch(
      /would violate PodSecurity "restricted:latest": seccompProfile .*"dapr-operator"/,
    );
    const res = await admitPod(operator);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(/violates PodSecurity "restricted:latest": seccompProfile/);
  });
});
