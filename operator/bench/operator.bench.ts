/**
 * `npm run bench:operator`: 200 TodoApps created at once against a real API server and Kafka broker.
 *  1. ceiling — the same rendered children and status applied directly by one client, no operator, no Kafka;
 *  2. operator — a real operator process (the compiled operator/dist/main.js), timed until every child
 *     exists and every status shows TopicsReady;
 *  3. steady state — after a full resync of all 200, the operator must have issued zero write requests,
 *     and its RSS (sampled throughout) must stay within 150 MB.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, run, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import type { TodoApp } from '../src/crd/todoapp.js';
import { KubeClient, type KubeObject } from '../src/kube/client.js';
import { deploymentAvailability } from '../src/kube/deployment-status.js';
import { collectionPath, KINDS, objectPath, type ResourceKind } from '../src/kube/resources.js';
import { childPlans, renderedWorkload } from '../src/reconcile/child-plans.js';
import { ok } from '../src/reconcile/conditions.js';
import { desiredDaprComponents } from '../src/reconcile/desired/dapr.js';
import { childNames } from '../src/reconcile/desired/meta.js';
import { appUrl, desiredConfigMap } from '../src/reconcile/desired/workload.js';
import { deploymentOutcome } from '../src/reconcile/status.js';
import { topicNames } from '../src/reconcile/topics.js';
import { loadConfig } from '../src/runtime/config.js';
import { defaultedTodoApp } from '../src/testing/index.js';
import { createNamespace, createSecret, installCrds, useCluster } from '../test/support/cluster.js';
import { aTodoApp, createTodoApp } from '../test/support/todoapp.js';

const COUNT = Number(process.env.BENCH_TODOAPPS ?? 200);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
const RESYNC_SECONDS = 20;
const RSS_CEILING_MB = 150;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function createApps(client: KubeClient, ns: string, brokers: string[]): Promise<TodoApp[]> {
  await createNamespace(client, ns);
  await createSecret(client, ns, 'shared-db', { url: 'postgres://todo@db:5432/todo' });
  const manifests = Array.from({ length: COUNT }, (_, i) =>
    aTodoApp(ns, `t${i}`, brokers, { database: { secretRef: { name: 'shared-db', key: 'url' } } }),
  );
  return Promise.all(manifests.map((m) => createTodoApp(client, m)));
}

/** What the operator applies for one TodoApp, with each object's kind (the reconcile's own list of children). */
function renderedChildren(app: TodoApp): [ResourceKind, KubeObject][] {
  const config = desiredConfigMap(app);
  const components = desiredDaprComponents(app);
  const workload = renderedWorkload(app, config, components, {
    jwtSecret: 'x'.repeat(43),
    appToken: 'y'.repeat(43),
    databaseUrl: 'postgres://todo@db:5432/todo',
    daprApiToken: 'z'.repeat(43),
  });
  return childPlans(app, config, components, workload).flatMap(({ kind, desired }) =>
    desired ? [[KINDS[kind], desired] as [ResourceKind, KubeObject]] : [],
  );
}

/**
 * Every child the operator should create for the bench's TodoApps t0, t1, …, as `Kind/name`. They have the
 * shape of the fixture: Dapr on, no Ingress, no state store.
 */
const EXPECTED = Array.from({ length: COUNT }, (_, i) => renderedChildren(defaultedTodoApp(`t${i}`))).flat();
const CHILD_KINDS = [...new Set(EXPECTED.map(([kind]) => kind))];
const EXPECTED_NAMES = EXPECTED.map(([kind, o]) => `${kind.kind}/${o.metadata.name}`);

/**
 * The ceiling: the same rendered objects (children and status) applied directly by one client with the
 * operator's concurrency; no Kafka, no watches, no caches.
 */
async function ceiling(client: KubeClient, brokers: string[]): Promise<number> {
  // Warm the API server's caches first, so the ceiling is not charged for a cold start.
  await createNamespace(client, 'warmup');
  const started = Date.now();
  const apps = await createApps(client, 'ceiling', brokers);
  await inBatches(apps, WORKERS, async (app) => {
    await Promise.all(
      renderedChildren(app).map(([kind, o]) =>
        client.apply(objectPath(kind, app.metadata.namespace, o.metadata.name), o),
      ),
    );
    const topics = topicNames(app.spec.kafka.topicPrefix).map((name) => ({
      name,
      partitions: app.spec.kafka.partitions,
    }));
    await client.mergePatch(
      `${objectPath(KINDS.todoApp, app.metadata.namespace, app.metadata.name)}/status`,
      {
        status: {
          observedGeneration: 1,
          url: appUrl(app),
          topics,
          conditions: [
            {
              type: 'TopicsReady',
              status: 'True',
              reason: 'TopicsCreated',
              message: '',
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          ],
        },
      },
    );
  });
  const elapsed = Date.now() - started;
  // Out of the operator's way (no garbage collector runs here, so the children are deleted explicitly too).
  for (const kind of [KINDS.todoApp, ...CHILD_KINDS]) {
    await client.delete(collectionPath(kind, 'ceiling'));
  }
  return elapsed;
}

interface Metrics {
  queueDepth: number;
  reads: number;
  writes: number;
  reconciles: number;
  reconcileSeconds: number;
  queueWaitSeconds: number;
}

async function scrape(port: number): Promise<Metrics> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return {
    queueDepth: sum(/^todo_operator_queue_depth (\S+)$/gm),
    reads: sum(/^todo_operator_kube_requests_total\{kind="read"\} (\S+)$/gm),
    writes: sum(/^todo_operator_kube_requests_total\{kind="write"\} (\S+)$/gm),
    reconciles: sum(/^todo_operator_reconciles_total\{[^}]*\} (\S+)$/gm),
    reconcileSeconds: sum(/^todo_operator_reconcile_duration_seconds_sum (\S+)$/gm),
    queueWaitSeconds: sum(/^todo_operator_queue_latency_seconds_sum (\S+)$/gm),
  };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
}

async function countReady(client: KubeClient, ns: string): Promise<number> {
  const list = await client.get<{ items: TodoApp[] }>(collectionPath(KINDS.todoApp, ns));
  return list.items.filter((a) =>
    a.status?.conditions?.some((c) => c.type === 'TopicsReady' && c.status === 'True'),
  ).length;
}

/** The children of the bench's TodoApps that do not exist yet, as `kind/name`. */
async function missingChildren(client: KubeClient, ns: string): Promise<string[]> {
  const lists = await Promise.all(
    CHILD_KINDS.map(async (k) => {
      const list = await client.get<{ items: KubeObject[] }>(
        `${collectionPath(k, ns)}?labelSelector=app.kubernetes.io/managed-by%3Dtodo-operator`,
      );
      return list.items.map((o) => `${k.kind}/${o.metadata.name}`);
    }),
  );
  const existing = new Set(lists.flat());
  return EXPECTED_NAMES.filter((child) => !existing.has(child));
}

/**
 * The deployment controller has reported on every bench Deployment (its Available condition), and each
 * TodoApp's DeploymentAvailable shows that report.
 */
async function deploymentsShown(client: KubeClient, ns: string): Promise<boolean> {
  const [apps, deployments] = await Promise.all([
    client.get<{ items: TodoApp[] }>(collectionPath(KINDS.todoApp, ns)),
    client.get<{ items: KubeObject[] }>(collectionPath(KINDS.deployment, ns)),
  ]);
  const byName = new Map(deployments.items.map((d) => [d.metadata.name, d]));
  return apps.items.every((app) => {
    const deployment = byName.get(childNames(app).api);
    if (!deployment || deploymentAvailability(deployment).available === undefined) return false;
    const { outcome } = deploymentOutcome(app, deployment, ok('DatabaseResolved', ''));
    const shown = app.status?.conditions?.find((c) => c.type === 'DeploymentAvailable');
    return shown?.reason === outcome.reason && shown.message === outcome.message;
  });
}

async function main(): Promise<void> {
  const [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  let operator: ChildProcess | undefined;
  try {
    await installCrds(cluster.admin);
    const admin = KubeClient.fromAccess(cluster.adminAccess);
    console.log(
      `operator benchmark: ${COUNT} TodoApps, ${WORKERS} workers, one kube-apiserver + etcd, one Kafka broker`,
    );

    const ceilingMs = await ceiling(admin, kafka.brokers);
    console.log(`ceiling (rendered objects applied directly by one client): ${seconds(ceilingMs)} s`);

    // The compiled operator, as the image runs it (tsx alone would add ~35 MB of RSS).
    await run('npx', ['tsc', '-p', fileURLToPath(new URL('..', import.meta.url))]);
    const port = await freePort();
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const env = {
      ...process.env,
      KUBECONFIG: cluster.access.kubeconfig,
      OPERATOR_HTTP_PORT: String(port),
      OPERATOR_WORKERS: String(WORKERS),
      OPERATOR_RESYNC_SECONDS: String(RESYNC_SECONDS),
      LEADER_ELECTION: 'false',
      LOG_LEVEL: 'warn',
    };
    const pace = loadConfig(env).kubeRateLimit;
    operator = spawn(process.execPath, [main], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const pid = operator.pid ?? 0;
    // An operator that dies mid-run is a result, not a crash of the bench's RSS sampler.
    operator.once('exit', (code, signal) =>
      console.log(`the operator exited during the run: code ${code}, signal ${signal}`),
    );
    await eventually(
      'operator /readyz',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      60_000,
      100,
    );
    let peakRss = rssMb(pid);
    const sampler = setInterval(() => {
      if (operator?.exitCode === null) peakRss = Math.max(peakRss, rssMb(pid));
    }, 200);

    const started = Date.now();
    await createApps(admin, 'bench', kafka.brokers);
    await eventually(
      'all TopicsReady',
      async () => (await countReady(admin, 'bench')) === COUNT,
      600_000,
      100,
    );
    await eventually(
      'all children',
      async () => {
        const missing = await missingChildren(admin, 'bench');
        if (missing.length)
          throw new Error(`${missing.length} missing, e.g. ${missing.slice(0, 5).join(', ')}`);
        return true;
      },
      60_000,
      100,
    );
    const operatorMs = Date.now() - started;
    const busy = await scrape(port);
    console.log(
      `  ${busy.reconciles} reconciles, mean ${((busy.reconcileSeconds / busy.reconciles) * 1000).toFixed(0)} ms each, mean queue wait ${((busy.queueWaitSeconds / busy.reconciles) * 1000).toFixed(0)} ms, ${busy.reads} read and ${busy.writes} write requests`,
    );
    // The reconciles' requests go through a token bucket, so the writes alone set a floor under the time.
    const pacedFloor = Math.max(0, busy.writes - pace.burst) / pace.qps;
    console.log(
      `  request pace ${pace.qps}/s after a burst of ${pace.burst}: the writes alone take ≥ ${pacedFloor.toFixed(1)} s`,
    );
    const ratio = operatorMs / ceilingMs;
    console.log(`operator (create → all children + TopicsReady): ${seconds(operatorMs)} s`);
    console.log(`ratio operator / ceiling:                   ${ratio.toFixed(2)} (target ≤ 2)`);

    // kube-controller-manager reports on the Deployments for a while after they were applied, and the operator
    // writes each report into its TodoApp's status: those writes follow a change, so the resync is watched after.
    await eventually(
      'the Deployments reported and shown',
      async () => (await deploymentsShown(admin, 'bench')) && (await scrape(port)).queueDepth === 0,
      120_000,
      100,
    );
    const before = await scrape(port);
    await eventually(
      'a full resync',
      async () => (await scrape(port)).reconciles - before.reconciles >= COUNT,
      (RESYNC_SECONDS + 60) * 1000,
      100,
    );
    const after = await scrape(port);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssMb(pid));
    const writes = after.writes - before.writes;
    console.log(
      `steady-state resync: ${after.reconciles - before.reconciles} reconciles, ${writes} write requests (target 0)`,
    );
    console.log(
      `operator peak RSS: ${peakRss.toFixed(0)} MB, ratio to the ${RSS_CEILING_MB} MB ceiling: ${(peakRss / RSS_CEILING_MB).toFixed(2)}`,
    );
    const failures = [
      ratio > 2 && 'ratio above 2',
      writes !== 0 && 'writes during steady state',
      peakRss > RSS_CEILING_MB && 'RSS above ceiling',
    ].filter(Boolean);
    if (failures.length) {
      console.log(`FAILED: ${failures.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    if (operator && operator.exitCode === null) {
      // Stopped by the bench now, not exited during the run.
      operator.removeAllListeners('exit');
      operator.kill('SIGTERM');
      await new Promise((r) => operator?.once('exit', r));
    }
    await Promise.all([cluster.access.stop(), kafka.stop()]);
  }
}

await main();
