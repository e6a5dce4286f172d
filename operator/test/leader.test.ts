/** Two operator instances share one Lease: one reconciles, the other takes over when the leader disappears or cannot renew. */
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient } from '../src/kube/client.js';
import { LeaderElector } from '../src/runtime/leader.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
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
/** Completed rounds of an instance's consumer watchdog. */
const watchdogRounds = async (o: RunningOperator | undefined) =>
  (await o?.metrics.consumerChecks.get())?.values[0]?.value ?? 0;

it('runs one active instance; when it dies the standby takes over within 20 s and reconciles', async () => {
  const env = { LEADER_ELECTION: 'true', LEASE_NAMESPACE: NS, OPERATOR_CONSUMER_CHECK_SECONDS: '1' };
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
  // The consumer watchdog runs on the leader only, like the reconciles.
  await eventually('the leader’s consumer watchdog checks', async () => (await watchdogRounds(leader)) >= 2);
  expect(await watchdogRounds(standby)).toBe(0);

  const crashedAt = Date.now();
  await leader?.stop({ releaseLease: false });
  await eventually('standby leads', async () => standby?.isLeader(), 25_000);
  expect(Date.now() - crashedAt).toBeLessThan(20_000);

  await createSecret(cluster.admin, NS, 'two-db', { url: 'postgres://x@db:5432/x' });
  await createTodoApp(cluster.admin, aTodoApp(NS, 'two', BROKERS));
  await eventually('new leader reconciles', () => find(cluster.admin, 'deployment', NS, 'two-api'));
  await eventually(
    'the new leader’s consumer watchdog checks',
    async () => (await watchdogRounds(standby)) >= 1,
  );
}, 90_000);

it('keeps leading through failed renewals shorter than the renew deadline, and steps down before anyone may take over', async () => {
  const opts = {
    namespace: NS,
    name: 'flaky-lease',
    leaseDurationMs: 3000,
    renewMs: 200,
    renewDeadlineMs: 1500,
    retryMs: 200,
  };
  // The leader's client fails every request while `down` (an unreachable API server); the standby's works.
  let down = false;
  const real = KubeClient.fromAccess(cluster.adminAccess);
  const flaky = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new Error('connect ECONNREFUSED'));
        return value.apply(target, args);
      };
    },
  });
  const events: string[] = [];
  let steppedDownAt = 0;
  let standbyLedAt = 0;
  const a = new LeaderElector(
    flaky,
    { ...opts, identity: 'a' },
    {
      onStartedLeading: () => events.push('a leads'),
      onStoppedLeading: () => {
        events.push('a steps down');
        steppedDownAt = Date.now();
      },
    },
  );
  a.start();
  await eventually('a leads', async () => a.isLeader);
  const b = new LeaderElector(
    real,
    { ...opts, identity: 'b' },
    {
      onStartedLeading: () => {
        events.push('b leads');
        standbyLedAt = Date.now();
      },
      onStoppedLeading: () => events.push('b steps down'),
    },
  );
  b.start();
  try {
    // A blip well inside the deadline: a stays the leader throughout, and b never gets in.
    down = true;
    const blipEnds = Date.now() + 800;
    while (Date.now() < blipEnds) {
      expect(a.isLeader).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
    }
    down = false;
    await new Promise((r) => setTimeout(r, 1000));
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);

    // An outage past the deadline: a steps down, and only then, once its lease has run out, b takes over.
    down = true;
    const outageAt = Date.now();
    await eventually('a steps down', async () => !a.isLeader, 10_000);
    expect(steppedDownAt - outageAt).toBeGreaterThanOrEqual(1000);
    await eventually('b leads', async () => b.isLeader, 10_000);
    expect(standbyLedAt).toBeGreaterThan(steppedDownAt);
    expect(events).toEqual(['a leads', 'a steps down', 'b leads']);
  } finally {
    down = false;
    await a.stop(false);
    await b.stop();
  }
}, 60_000);
