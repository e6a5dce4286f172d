/**
 * scripts/deploy-tenants.sh, which the deploy workflow's rollback uses to remove the TodoApps a failed deploy
 * added, run as the workflow runs it: bash with a kubectl of the harness API server's version, against that
 * server with the TodoApp CRD, and the real deploy/tenants/.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KubeServer, kubectlBinary, startKube, tempDir } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo-files.js';
import { pathWith, runTool, type ToolResult } from './support/tool-run.js';

const TENANTS = join(repoRoot, 'deploy/tenants');

let kube: KubeServer;
let scratch: string;
let path: string;

beforeAll(async () => {
  scratch = await tempDir('deploy-tenants');
  kube = await startKube();
  path = await pathWith(scratch, { kubectl: await kubectlBinary() });
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** bash running `script` as the workflow's steps do (-e, pipefail), with our kubectl and the harness. */
const bash = (script: string, kubeconfig = kube.kubeconfig): Promise<ToolResult> =>
  runTool('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: repoRoot,
    env: { ...process.env, PATH: path, KUBECONFIG: kubeconfig },
    timeoutMs: 60_000,
  });

const ok = async (script: string): Promise<string> => {
  const res = await bash(script);
  expect(res.code, `${script}\n${res.stdout}${res.stderr}`).toBe(0);
  return res.stdout;
};

const todoApps = async () =>
  (
    await ok(
      'kubectl get todoapps -A --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name | awk \'{print $1 "/" $2}\' | sort',
    )
  )
    .split('\n')
    .filter(Boolean);

describe('added (the pure part)', () => {
  it('names the lines of the second sorted list the first lacks, whatever the locale sorts', async () => {
    const before = join(scratch, 'before');
    const now = join(scratch, 'now');
    await writeFile(before, 'tenants/acme\ntenants/b-old\n');
    await writeFile(now, 'Tenants/Z\ntenants/acme\ntenants/globex\n');
    const out = await ok(`source scripts/deploy-tenants.sh; added ${before} ${now}`);
    expect(out).toBe('Tenants/Z\ntenants/globex\n');
  });
});

describe('record and remove-added on a cluster', () => {
  const before = () => join(scratch, 'tenants-before');

  it('records no TodoApps on a cluster without the CRD (a first deploy), and none from a cluster it cannot read', async () => {
    await ok(`scripts/deploy-tenants.sh record ${before()}`);
    expect(await readFile(before(), 'utf8')).toBe('');

    const unreadable = join(scratch, 'unreadable');
    const res = await bash(`scripts/deploy-tenants.sh record ${unreadable}`, join(scratch, 'no-kubeconfig'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("cannot read the cluster's CRDs");
    await expect(readFile(unreadable, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('removes the tenant of deploy/tenants/ the failed deploy added, and keeps the earlier one and one applied by hand', async () => {
    // The cluster before the deploy: the CRD, and one tenant of deploy/tenants/ (the others are new).
    await ok('kubectl apply --server-side -f charts/todo-operator/crds/');
    await ok('kubectl wait --for=condition=Established crd/todoapps.tenancy.todo.dev --timeout=60s');
    const files = (await ok('ls deploy/tenants/')).split('\n').filter((f) => f.endsWith('.yaml'));
    const tenantFiles = files.filter((f) => !f.startsWith('00-'));
    expect(tenantFiles.length).toBeGreaterThan(1);
    const [earlier, ...added] = tenantFiles;
    await ok(`kubectl apply -f deploy/tenants/00-namespace.yaml -f deploy/tenants/${earlier}`);
    const existing = await todoApps();
    expect(existing).toHaveLength(1);

    const recorded = await bash(`scripts/deploy-tenants.sh record ${before()}`);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(await readFile(before(), 'utf8')).toBe(`${existing[0]}\n`);

    // The deploy applies deploy/tenants/ and then fails; meanwhile someone applies a TodoApp of their own.
    await ok('kubectl apply -f deploy/tenants/');
    await ok(
      `kubectl create namespace by-hand && sed -e 's/^  namespace: .*/  namespace: by-hand/' deploy/tenants/${earlier} | kubectl apply -f -`,
    );
    const deployed = await todoApps();
    expect(deployed.length).toBe(tenantFiles.length + 1);

    const removed = await bash(`scripts/deploy-tenants.sh remove-added ${before()} ${TENANTS}`);
    expect(removed.code, removed.stderr).toBe(0);
    const left = await todoApps();
    expect(left).toEqual([...existing, deployed.find((t) => t.startsWith('by-hand/'))].sort());
    expect(removed.stderr.match(/Removing TodoApp \S+/g)).toHaveLength(added.length);

    // Run again (a re-run of the rollback): nothing more to remove.
    const again = await bash(`scripts/deploy-tenants.sh remove-added ${before()} ${TENANTS}`);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('Removing');
    expect(await todoApps()).toEqual(left);
  });

  it('refuses to guess without a record', async () => {
    const res = await bash(`scripts/deploy-tenants.sh remove-added ${join(scratch, 'missing')} ${TENANTS}`);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/no record .*missing/);
  });
});
