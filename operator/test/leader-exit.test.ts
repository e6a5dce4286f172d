/**
 * Losing the lease ends the process: the operator, run as `npm run operator` runs it, exits non-zero when
 * another holder takes its Lease, so its Deployment restarts it as a standby with fresh caches.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api } from '../src/kube/api.js';
import type { KubeObject } from '../src/kube/client.js';
import { KINDS } from '../src/kube/resources.js';
import { LEASE_NAME } from '../src/runtime/operator.js';
import { type Cluster, createNamespace, installCrds, repoFile, useCluster } from './support/cluster.js';

const NS = 'leader-exit';
let cluster: Cluster;
let child: ChildProcess | undefined;

type Lease = KubeObject & { spec: { holderIdentity?: string; renewTime?: string } };

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, NS);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await cluster?.access.stop();
});

it('exits with a non-zero code when another holder takes its lease', async () => {
  let output = '';
  child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'operator/src/main.ts'], {
    cwd: repoFile(''),
    env: {
      ...process.env,
      KUBECONFIG: cluster.access.kubeconfig,
      LEADER_ELECTION: 'true',
      LEASE_NAMESPACE: NS,
      POD_NAME: 'operator-under-test',
      OPERATOR_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

  const leases = new Api<Lease>(cluster.admin, KINDS.lease, NS);
  const lease = await eventually(
    'the operator leads',
    async () => {
      const l = await leases.find(LEASE_NAME);
      return l?.spec.holderIdentity === 'operator-under-test' && l;
    },
    60_000,
  );
  // Another instance takes over, as after a partition that outlasted this one's renew deadline.
  await cluster.admin.request('PUT', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${LEASE_NAME}`, {
    ...lease,
    spec: {
      ...lease.spec,
      holderIdentity: 'usurper',
      renewTime: new Date().toISOString().replace('Z', '000Z'),
    },
  });

  const code = await Promise.race([
    exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
  ]);
  expect(code, output).toBe(1);
  expect(output).toContain('lost the leader lease');
  expect((await leases.get(LEASE_NAME)).spec.holderIdentity).toBe('usurper');
}, 90_000);
