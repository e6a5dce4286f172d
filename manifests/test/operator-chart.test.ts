/**
 * The operator chart installed as its users install it: the real helm against the harness API server, which
 * reports a release's version, so the chart's kubeVersion is checked and NOTES.txt is rendered. What the NOTES
 * tell the user to run is run as printed, by bash with a kubectl of the server's version, on a real install.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { helmBinary, KUBE_VERSION, type KubeServer, kubectlBinary, startKube, tempDir } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm } from './support/chart-render.js';
import { yamlObjects } from './support/cluster-setup.js';
import { KubeClient } from './support/kube-client.js';
import { chartsUnderTest, repoRoot } from './support/repo-files.js';
import { pathWith, runTool, type ToolResult } from './support/tool-run.js';

const chart = chartsUnderTest().find((c) => c.name === 'todo-operator');
if (!chart) throw new Error('charts/todo-operator is missing');
const chartDir = join(repoRoot, chart.dir);
// Not the chart's name, so a name the NOTES took from the chart instead of the release would show.
const RELEASE = 'tenancy';
const NAMESPACE = 'ops';

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let path: string;

beforeAll(async () => {
  scratch = await tempDir('operator-chart');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  // The NOTES say `kubectl` and `helm`: these are the ones on the PATH their commands run with.
  path = await pathWith(scratch, { kubectl: await kubectlBinary(), helm: await helmBinary() });
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The environment a user's shell has: our kubectl and helm first on PATH, the harness's kubeconfig. */
const shellEnv = () => ({
  ...process.env,
  PATH: path,
  KUBECONFIG: kube.kubeconfig,
  HELM_CACHE_HOME: join(scratch, 'helm-home', 'cache'),
  HELM_CONFIG_HOME: join(scratch, 'helm-home', 'config'),
  HELM_DATA_HOME: join(scratch, 'helm-home', 'data'),
});

/** Runs `text` as a user pasting it into bash would, stopping at the first failing command. */
const bash = (text: string): Promise<ToolResult> =>
  runTool('bash', ['-euo', 'pipefail', '-c', text], { cwd: repoRoot, env: shellEnv(), timeoutMs: 60_000 });

/** helm against the harness API server, as a user's helm would reach it. */
const helmOnCluster = (args: string[]) => helm(scratch, [...args, '--kubeconfig', kube.kubeconfig]);

interface Release {
  manifest: string;
  info: { notes: string };
}

async function installed(args: string[]): Promise<Release> {
  const res = await helmOnCluster([...args, '--output', 'json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Release;
}

/**
 * The commands of the NOTES' step `n` ("n. …"), as printed: from its first command line (indented by five) to
 * the blank line that ends the step, a here-document's body included.
 */
function stepCommands(notes: string, n: number): string {
  const lines = notes.split('\n');
  const header = lines.findIndex((l) => l.startsWith(`${n}. `));
  expect(header, `step ${n} in the NOTES`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > header && l.trim() === '');
  const step = lines.slice(header + 1, end < 0 ? undefined : end);
  return step.slice(step.findIndex((l) => /^ {5}\S/.test(l))).join('\n');
}

/** The NOTES' command lines that start with `prefix` (after their indent). */
const commandLines = (notes: string, prefix: string) =>
  notes
    .split('\n')
    .filter((l) => l.startsWith(`     ${prefix}`))
    .map((l) => l.trim());

describe.each(chart.valuesFiles)('helm install --dry-run=server with %s', (values) => {
  let release: Release;

  beforeAll(async () => {
    release = await installed([
      'install',
      RELEASE,
      chartDir,
      '--namespace',
      NAMESPACE,
      '--create-namespace',
      '--dry-run=server',
      '-f',
      join(repoRoot, values),
    ]);
  });

  it("names the release's own Deployment and namespace wherever it names one", () => {
    const deployments = yamlObjects(release.manifest).filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual([RELEASE]);
    const notes = release.info.notes;
    expect(notes).toMatch(new RegExp(`^The TodoApp operator runs in ${NAMESPACE} \\(`));
    const named = [...notes.matchAll(/deployment\/(\S+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named)).toEqual(new Set([RELEASE]));
    // Every namespace a command names: the release's, and the example tenant's.
    expect(new Set([...notes.matchAll(/kubectl -n (\S+)/g)].map((m) => m[1]))).toEqual(
      new Set([NAMESPACE, 'acme']),
    );
  });

  it("sends the sample TodoApp to the platform's Redpanda and the API image of the chart's appVersion", async () => {
    const samples = await readFile(join(repoRoot, 'samples/oke/todoapps.yaml'), 'utf8');
    const brokers = [...samples.matchAll(/brokers: \[("[^"]+")\]/g)].map((m) => m[1]);
    expect(brokers.length).toBeGreaterThan(0);
    for (const b of brokers) expect(release.info.notes).toContain(`brokers: [${b}]`);
    const appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(
      await readFile(join(chartDir, 'Chart.yaml'), 'utf8'),
    );
    expect(release.info.notes).toContain(`image: ghcr.io/todo-dev/todo-api:${appVersion?.[1]}\n`);
  });

  it("says the managed-database Secret is missing only while it is (helm's lookup on the server)", async () => {
    expect(release.info.notes).toMatch(/The Secret todo-operator-database \(key url\) is not in ops/);
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'todo-operator-database', namespace: NAMESPACE },
      stringData: { url: 'postgresql://todo_operator:x@todo-pg-rw:5432/postgres' },
    };
    expect(
      (
        await client.apply(
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
          { dryRun: false },
        )
      ).status,
    ).toBeLessThan(300);
    expect((await client.apply(secret, { dryRun: false })).status).toBeLessThan(300);
    try {
      const again = await installed([
        'install',
        RELEASE,
        chartDir,
        '-n',
        NAMESPACE,
        '--dry-run=server',
        '-f',
        join(repoRoot, values),
      ]);
      expect(again.info.notes).not.toMatch(/todo-operator-database/);
    } finally {
      await client.request('DELETE', `/api/v1/namespaces/${NAMESPACE}/secrets/todo-operator-database`);
    }
  });
});

describe('kubeVersion', () => {
  it(`is met by the harness API server (v${KUBE_VERSION}) and refused, with the constraint named, below it`, async () => {
    const meta = await readFile(join(chartDir, 'Chart.yaml'), 'utf8');
    const constraint = /^kubeVersion: "?([^"\n]+)"?$/m.exec(meta)?.[1];
    expect(constraint).toBe('>=1.30.0-0');
    const version = await client.getJson<{ gitVersion: string }>('/version');
    expect(version.gitVersion).toBe(`v${KUBE_VERSION}`);

    const old = await helm(scratch, ['template', RELEASE, chartDir, '--kube-version', '1.29.9']);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toContain(
      `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes v1.29.9`,
    );
    const oldest = await helm(scratch, ['template', RELEASE, chartDir, '--kube-version', '1.30.0']);
    expect(oldest.code, oldest.stderr).toBe(0);
  });
});

describe('the NOTES of a real install, run as printed', () => {
  let notes: string;

  beforeAll(async () => {
    // As the deploy workflow and cluster-up.sh install it; no --wait: no kubelet runs the pods here.
    notes = (
      await installed([
        'upgrade',
        '--install',
        RELEASE,
        chartDir,
        '--namespace',
        NAMESPACE,
        '--create-namespace',
      ])
    ).info.notes;
  });

  it('1. the rollout completes and the lease the operator takes is there to get', async () => {
    const replicas = await eventually(
      "the Deployment's pods",
      async () => {
        const pods = await client.getJson<{ items: { metadata: { name: string } }[] }>(
          `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app.kubernetes.io/instance%3D${RELEASE}`,
        );
        return pods.items.length === 2 && pods.items;
      },
      30_000,
      100,
    );
    // What a kubelet would report once the operator's readiness probe answers.
    for (const pod of replicas) {
      const res = await client.request(
        'PATCH',
        `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata.name}/status`,
        { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
        'application/merge-patch+json',
      );
      expect(res.status, res.body).toBe(200);
    }
    // The lease the operator takes (operator/src/runtime/operator.ts), created as the release's ServiceAccount:
    // its Role allows exactly that.
    const source = await readFile(join(repoRoot, 'operator/src/runtime/operator.ts'), 'utf8');
    const leaseName = /export const LEASE_NAME = '([^']+)'/.exec(source)?.[1];
    expect(notes).toContain(`get lease ${leaseName}\n`);
    const lease = await bash(
      `kubectl create -f - --as=system:serviceaccount:${NAMESPACE}:${RELEASE} <<'YAML'
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: ${leaseName}, namespace: ${NAMESPACE} }
spec: { holderIdentity: ${replicas[0]?.metadata.name}, leaseDurationSeconds: 15 }
YAML`,
    );
    expect(lease.code, lease.stderr).toBe(0);

    const step = await bash(stepCommands(notes, 1));
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toContain(`deployment "${RELEASE}" successfully rolled out`);
    expect(step.stdout).toContain(leaseName);
  });

  it('2. creates the namespace, the Secret and a TodoApp the CRD accepts', async () => {
    const step = await bash(stepCommands(notes, 2));
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toContain('todoapp.tenancy.todo.dev/acme created');
  });

  it('3. shows the TodoApp by its short name, and its conditions', async () => {
    const step = await bash(stepCommands(notes, 3));
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toMatch(/^acme\s/m);
  });

  it("applies the chart's CRD over the one Helm installed (the published chart's, here from the work tree)", async () => {
    const [command] = commandLines(notes, 'helm show crds');
    expect(command).toMatch(/^helm show crds oci:\/\/ghcr\.io\/todo-dev\/charts\/todo-operator --version /);
    const step = await bash(command?.replace(/oci:\/\/\S+/, chartDir) ?? 'false');
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/todoapps.tenancy.todo.dev serverside-applied',
    );
  });
});
