/** Two operator instances share one Lease: one reconciles, the other takes over when the leader disappears. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningOperator } from '../src/runtime/operator.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  eventually,
  find,
  installCrds,
  useCluster,
} from './support/cluster.js';
import { aTodoApp, createTodoApp, runOperator } from './support/todoapp.js';

const NS = 'leader-election';
// Unreachable brokers: topics are not what this test is about, and the children are applied regardless.
const BROKERS = ['127.0.0.1:1'];
let cluster: Cluster;
const operators: RunningOperator[] = [];

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, NS);
});
afterAll(async () => {
  for (const op of operators) await op.stop();
  await cluster?.access.stop();
});

const leaders = () => operators.filter((o) => o.isLeader());

it('runs one active instance; when it dies the standby takes over within 20 s and reconciles', async () => {
  const env = { LEADER_ELECTION: 'true', LEASE_NAMESPACE: NS };
  operators.push(
    await runOperator(cluster.adminAccess, { ...env, POD_NAME: 'operator-a' }),
    await runOperator(cluster.adminAccess, { ...env, POD_NAME: 'operator-b' }),
  );
  await eventually('a leader', async () => leaders().length === 1);
  await new Promise((r) => setTimeout(r, 3000));
  expect(leaders()).toHaveLength(1);
  const [leader] = leaders();
  const standby = operators.find((o) => o !== leader);
  expect(standby?.controller()).toBeUndefined();

  await createSecret(cluster.admin, NS, 'one-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(cluster.admin, aTodoApp(NS, 'one', BROKERS));
  await eventually('first leader reconciles', () => find(cluster.admin, 'deployment', NS, 'one-api'));

  const crashedAt = Date.now();
  await leader?.stop({ releaseLease: false });
  await eventually('standby leads', async () => standby?.isLeader(), 25_000);
  expect(Date.now() - crashedAt).toBeLessThan(20_000);

  await createSecret(cluster.admin, NS, 'two-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(cluster.admin, aTodoApp(NS, 'two', BROKERS));
  await eventually('new leader reconciles', () => find(cluster.admin, 'deployment', NS, 'two-api'));
}, 90_000);
