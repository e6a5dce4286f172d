/**
 * Every chart under charts/, with every values*.yaml beside it: `helm lint --strict` passes, and every object
 * `helm template` renders is accepted by a real kube-apiserver (server-side apply as a dry run: schema,
 * defaulting and admission, with the upstream CRDs installed from their Go modules) and by kubeconform against
 * JSON schemas generated from that same server's OpenAPI; and `helm install --dry-run=server` against it passes
 * (the server's version meets the chart's kubeVersion, lookups answer, NOTES.txt renders).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KUBE_VERSION, type KubeServer, startKube, tempDir } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm, type StagedChart, stageChart } from './support/chart-render.js';
import { ensureNamespace, installAllCrds, servedApiVersions, yamlObjects } from './support/cluster-setup.js';
import { KubeClient, type KubeObject } from './support/kube-client.js';
import { kubeconform, writeKubeconformSchemas } from './support/openapi-schemas.js';
import { chartsUnderTest, repoRoot } from './support/repo-files.js';

const charts = chartsUnderTest();
/** Charts whose pods must meet Pod Security's `restricted` level (what the issue asks of our own images). */
const RESTRICTED_CHARTS = new Set(['todo-operator']);

/**
 * The rendered objects as kubeconform gets them. Envoy Gateway's chart copies controller-gen's ClusterRoles
 * with `metadata.creationTimestamp: null`: the API server takes that null as unset (the dry run accepted
 * them), while the schema kubeconform reads from the same server says string. That one null is dropped for
 * kubeconform, each drop printed; everything else is checked as rendered.
 */
function forKubeconform(rendered: string, what: string): string {
  return yamlObjects(rendered)
    .map((o) => {
      const meta = o.metadata as Record<string, unknown>;
      if ('creationTimestamp' in meta && meta.creationTimestamp === null) {
        console.log(
          `# ${what}: ${o.kind} ${o.metadata.name}: creationTimestamp: null left out for kubeconform`,
        );
        delete meta.creationTimestamp;
      }
      return JSON.stringify(o);
    })
    .join('\n---\n');
}

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let schemas: string;
let apiVersions: string[];

beforeAll(async () => {
  scratch = await tempDir('manifests');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  const crdKinds = await installAllCrds(client, (line) => console.log(line));
  apiVersions = await servedApiVersions(client);
  schemas = join(scratch, 'schemas');
  const count = await writeKubeconformSchemas(client, schemas, crdKinds);
  console.log(
    `# kubeconform: ${count} schemas from the test API server's /openapi/v3 (Kubernetes ${KUBE_VERSION})`,
  );
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('finds the charts under charts/, each with its values files', () => {
  expect(charts.map((c) => c.name)).toContain('todo-operator');
  for (const chart of charts) expect(chart.valuesFiles, chart.dir).toContain(`${chart.dir}/values.yaml`);
});

it('refuses what is wrong, on the server and in kubeconform: an unknown field, a wrong type, a kind nobody serves', async () => {
  const wrong: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wrong', namespace: 'default' },
      spec: {
        replicas: 'two',
        selector: { matchLabels: { app: 'wrong' } },
        template: {
          metadata: { labels: { app: 'wrong' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    },
    {
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'wrong', namespace: 'default' },
      spec: { type: 'pubsub.kafka', version: 'v1', metadatas: [] },
    },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'wrong', namespace: 'default' } },
  ];
  for (const obj of wrong)
    expect((await client.apply(obj, { dryRun: true })).status, obj.kind).toBeGreaterThanOrEqual(400);
  const file = join(scratch, 'wrong.yaml');
  await writeFile(file, wrong.map((o) => JSON.stringify(o)).join('\n---\n'));
  const conform = await kubeconform(schemas, file);
  expect(conform.code).not.toBe(0);
  expect(conform.stdout).toMatch(/Valid: 0, Invalid: 2, Errors: 1/);
});

it('refuses to render an upstream chart from a Go module at a version other than the pinned one', async () => {
  const dir = join(scratch, 'pinned-elsewhere');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'Chart.yaml'),
    'apiVersion: v2\nname: pinned-elsewhere\nversion: 0.1.0\ndependencies:\n  - name: gateway-helm\n    version: v1.9.0\n    repository: oci://docker.io/envoyproxy\n',
  );
  await expect(stageChart(dir, join(scratch, 'pinned-elsewhere-staged'))).rejects.toThrow(
    /gateway-helm v1\.9\.0 .*prepared from Go module github\.com\/envoyproxy\/gateway@v1\.9\.1 is version v1\.9\.1/,
  );
});

describe.each(charts)('chart $name', (chart) => {
  let staged: StagedChart;
  const namespace = chart.name;

  beforeAll(async () => {
    staged = await stageChart(join(repoRoot, chart.dir), join(scratch, chart.name));
    for (const dep of staged.dependencies) console.log(`# ${chart.name}: dependency ${dep.how}`);
    await ensureNamespace(client, namespace);
  });

  it.each(chart.valuesFiles)('helm lint --strict passes with %s', async (values) => {
    const res = await helm(scratch, [
      'lint',
      staged.dir,
      '--strict',
      '--namespace',
      namespace,
      '-f',
      join(repoRoot, values),
    ]);
    expect(res.code, `${res.stdout}${res.stderr}`).toBe(0);
  });

  it.each(chart.valuesFiles)(
    'helm install --dry-run=server with %s meets kubeVersion on the API server and renders its NOTES',
    async (values) => {
      const res = await helm(scratch, [
        'install',
        'todo',
        staged.dir,
        '--namespace',
        namespace,
        '--dry-run=server',
        '--kubeconfig',
        kube.kubeconfig,
        '--output',
        'json',
        '-f',
        join(repoRoot, values),
      ]);
      expect(res.code, res.stderr).toBe(0);
      const notes = (JSON.parse(res.stdout) as { info: { notes?: string } }).info.notes ?? '';
      if (existsSync(join(staged.dir, 'templates', 'NOTES.txt'))) expect(notes.trim()).not.toBe('');
    },
  );

  it.each(chart.valuesFiles)(
    'every object rendered with %s is accepted by the API server (dry run) and by kubeconform',
    async (values) => {
      const rendered = await helm(scratch, [
        'template',
        'todo',
        staged.dir,
        '--namespace',
        namespace,
        '--include-crds',
        '--kube-version',
        KUBE_VERSION,
        ...apiVersions.flatMap((v) => ['--api-versions', v]),
        '-f',
        join(repoRoot, values),
      ]);
      expect(rendered.code, rendered.stderr).toBe(0);
      const objects = yamlObjects(rendered.stdout);
      expect(objects.length).toBeGreaterThan(0);

      const refused: string[] = [];
      const podSecurity: string[] = [];
      for (const obj of objects) {
        const resource = await client.resourceFor(obj.apiVersion, obj.kind);
        if (resource?.namespaced) {
          obj.metadata.namespace ??= namespace;
          await ensureNamespace(client, obj.metadata.namespace);
        }
        const res = await client.apply(obj, { dryRun: true });
        const what = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
        if (res.status >= 300) refused.push(`${what}: ${res.status} ${res.body}`);
        for (const w of res.warnings) {
          console.log(`# ${chart.name} (${basename(values)}): ${what}: warning: ${w}`);
          if (/PodSecurity/.test(w)) podSecurity.push(`${what}: ${w}`);
        }
      }
      console.log(`# ${chart.name} (${basename(values)}): ${objects.length} objects dry-run`);
      expect(refused).toEqual([]);
      if (RESTRICTED_CHARTS.has(chart.name)) expect(podSecurity).toEqual([]);

      const file = join(scratch, chart.name, `${basename(values)}.rendered.yaml`);
      await mkdir(join(scratch, chart.name), { recursive: true });
      await writeFile(file, forKubeconform(rendered.stdout, `${chart.name} (${basename(values)})`));
      const conform = await kubeconform(schemas, file);
      expect(conform.code, `${conform.stdout}${conform.stderr}`).toBe(0);
    },
  );
});
