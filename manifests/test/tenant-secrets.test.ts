/**
 * scripts/tenant-secrets.sh, which cluster-up.sh and the deploy workflow run first, run for real against the
 * harness API server with a kubectl of its version: the namespaces with their Pod Security labels, the
 * operator's database Secrets, and a second run that changes nothing.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type KubeServer, kubectlBinary, startKube, tempDir } from '@todo/infra';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient } from './support/kube-client.js';
import { repoRoot } from './support/repo-files.js';
import { pathWith, runTool, type ToolResult } from './support/tool-run.js';

let kube: KubeServer;
let client: KubeClient;
let scratch: string;
let path: string;

beforeAll(async () => {
  scratch = await tempDir('tenant-secrets');
  kube = await startKube();
  client = await KubeClient.fromKubeconfig(kube.kubeconfig);
  path = await pathWith(scratch, { kubectl: await kubectlBinary() });
});

afterAll(async () => {
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const tenantSecrets = (env: Record<string, string> = {}): Promise<ToolResult> =>
  runTool(join(repoRoot, 'scripts/tenant-secrets.sh'), [], {
    cwd: repoRoot,
    env: { ...process.env, PATH: path, KUBECONFIG: kube.kubeconfig, ...env },
    timeoutMs: 60_000,
  });

const labels = async (namespace: string) =>
  (await client.getJson<{ metadata: { labels: Record<string, string> } }>(`/api/v1/namespaces/${namespace}`))
    .metadata.labels;

const secretData = async (namespace: string, name: string) =>
  Object.fromEntries(
    Object.entries(
      (
        await client.getJson<{ data: Record<string, string> }>(
          `/api/v1/namespaces/${namespace}/secrets/${name}`,
        )
      ).data,
    ).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );

it('labels the namespaces: our pods enforce restricted, the platform warns and audits at it', async () => {
  const res = await tenantSecrets();
  expect(res.code, res.stderr).toBe(0);
  for (const ns of ['todo-system', 'tenants'])
    expect(await labels(ns)).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
  const platform = await labels('todo-platform');
  expect(platform).toMatchObject({
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  });
  expect(platform).not.toHaveProperty(['pod-security.kubernetes.io/enforce']);
});

it("gives the operator the URL of the platform's PostgreSQL role, whose password the role's Secret holds", async () => {
  const role = await secretData('todo-platform', 'todo-operator-pg');
  expect(role.username).toBe('todo_operator');
  expect(role.password).toMatch(/^[0-9a-f]{48}$/);
  const { url } = await secretData('todo-system', 'todo-operator-database');
  expect(url).toBe(
    `postgresql://todo_operator:${role.password}@todo-pg-rw.todo-platform.svc.cluster.local:5432/postgres`,
  );
});

it('changes nothing when run again', async () => {
  const before = await secretData('todo-system', 'todo-operator-database');
  const res = await tenantSecrets();
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr).not.toMatch(/==> Secret /);
  expect(await secretData('todo-system', 'todo-operator-database')).toEqual(before);
});
