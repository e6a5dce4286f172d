/**
 * The test API server's state before any chart is checked: the upstream CRDs and our charts' own CRDs
 * installed for real (established, so their kinds can be dry-run), and the namespaces objects go into.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UPSTREAM_CRDS, type UpstreamCrdSet, upstreamCrdFiles } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { parseAllDocuments } from 'yaml';
import type { KubeClient, KubeObject } from './kube-client.js';
import { repoFiles, repoRoot } from './repo-files.js';

/** The objects of a multi-document YAML text (empty documents dropped). */
export function yamlObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && typeof o === 'object' && 'kind' in o);
}

/** A kind a CRD serves, as the OpenAPI documents name it. */
export interface ServedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

interface CrdSpec {
  group: string;
  names: { kind: string };
  versions: { name: string; served: boolean }[];
}

async function established(client: KubeClient, name: string): Promise<boolean> {
  const got = await client.getJson<{ status?: { conditions?: { type: string; status: string }[] } }>(
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
  );
  return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

/**
 * Installs every upstream CRD set and every CRD under a chart's `crds/`, printing where each came from, and
 * waits until each is established; returns the kinds they serve.
 */
export async function installAllCrds(client: KubeClient, log: (line: string) => void): Promise<ServedKind[]> {
  const crds: KubeObject[] = [];
  for (const set of Object.keys(UPSTREAM_CRDS) as UpstreamCrdSet[]) {
    const files = await upstreamCrdFiles(set);
    for (const file of files) crds.push(...yamlObjects(await readFile(file, 'utf8')));
    const { module, version } = UPSTREAM_CRDS[set];
    log(`# CRDs: ${set}, ${files.length} files from the Go module ${module}@${version}`);
  }
  const ours = repoFiles().filter((f) => /^charts\/[^/]+\/crds\/.+\.ya?ml$/.test(f));
  for (const file of ours) {
    crds.push(...yamlObjects(await readFile(join(repoRoot, file), 'utf8')));
    log(`# CRDs: ${file}`);
  }
  for (const crd of crds.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const res = await client.create(crd);
    if (res.status >= 300 && res.status !== 409)
      throw new Error(`installing CRD ${crd.metadata.name}: ${res.status} ${res.body}`);
  }
  await eventually(
    'every CRD established',
    async () =>
      (await Promise.all(crds.map((c) => established(client, c.metadata.name ?? '')))).every(Boolean),
    120_000,
    250,
  );
  client.forgetDiscovery();
  return crds.flatMap((crd) => {
    const spec = crd.spec as CrdSpec;
    return spec.versions
      .filter((v) => v.served)
      .map((v) => ({ group: spec.group, version: v.name, kind: spec.names.kind }));
  });
}

/** Every group/version the server serves, as `helm template --api-versions` takes them. */
export async function servedApiVersions(client: KubeClient): Promise<string[]> {
  const groups = await client.getJson<{ groups: { versions: { groupVersion: string }[] }[] }>('/apis');
  return ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
}

const ensured = new WeakMap<KubeClient, Set<string>>();

/** Creates the namespace (for real) when missing, with Pod Security's `restricted` level as warnings. */
export async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  const known = ensured.get(client) ?? new Set<string>();
  ensured.set(client, known);
  if (known.has(name)) return;
  const res = await client.apply(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'pod-security.kubernetes.io/warn': 'restricted' } },
    },
    { dryRun: false },
  );
  if (res.status >= 300) throw new Error(`creating namespace ${name}: ${res.status} ${res.body}`);
  known.add(name);
}
