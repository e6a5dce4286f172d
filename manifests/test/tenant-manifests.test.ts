/**
 * The TodoApps we ship for people to apply (samples/) and that the deploy workflow applies (deploy/tenants/):
 * the API server accepts each, with the CRD of charts/todo-operator, and each runs the API image of the chart's
 * appVersion (the tag a release builds and the samples' docs promise).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type KubeServer, startKube, tempDir } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNamespace, yamlObjects } from './support/cluster-setup.js';
import { KubeClient, type KubeObject } from './support/kube-client.js';
import { repoFiles, repoRoot } from './support/repo-files.js';

const files = repoFiles().filter((f) => /^(samples|deploy)\/.+\.ya?ml$/.test(f));
const CRD = 'charts/todo-operator/crds/todoapps.tenancy.todo.dev.yaml';

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let appVersion: string;

beforeAll(async () => {
  scratch = await tempDir('tenant-manifests');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  const [crd] = yamlObjects(await readFile(join(repoRoot, CRD), 'utf8'));
  if (!crd) throw new Error(`no CRD in ${CRD}`);
  const created = await client.create(crd);
  expect(created.status, created.body).toBeLessThan(300);
  await eventually(
    'the TodoApp CRD served',
    async () => {
      client.forgetDiscovery();
      return (await client.resourceFor('tenancy.todo.dev/v1alpha1', 'TodoApp')) !== undefined;
    },
    60_000,
    250,
  );
  const chart = await readFile(join(repoRoot, 'charts/todo-operator/Chart.yaml'), 'utf8');
  appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(chart)?.[1] ?? '';
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('finds the samples and the deploy tenants', () => {
  expect(files).toEqual(expect.arrayContaining(['samples/kind/todoapps.yaml', 'samples/oke/todoapps.yaml']));
  expect(files.some((f) => f.startsWith('deploy/tenants/'))).toBe(true);
});

describe.each(files)('%s', (file) => {
  let objects: KubeObject[];

  beforeAll(async () => {
    objects = yamlObjects(await readFile(join(repoRoot, file), 'utf8'));
  });

  it('is accepted by the API server (server-side apply, dry run, strict fields)', async () => {
    const refused: string[] = [];
    for (const obj of objects) {
      if (obj.kind !== 'Namespace') await ensureNamespace(client, obj.metadata.namespace ?? 'default');
      const res = await client.apply(obj, { dryRun: true });
      if (res.status >= 300) refused.push(`${obj.kind} ${obj.metadata.name}: ${res.status} ${res.body}`);
    }
    expect(refused).toEqual([]);
  });

  it("runs the API image of the operator chart's appVersion", () => {
    const images = objects
      .filter((o) => o.kind === 'TodoApp')
      .map((o) => (o.spec as { image: string }).image);
    for (const image of images) expect(image).toBe(`ghcr.io/todo-dev/todo-api:${appVersion}`);
  });
});
