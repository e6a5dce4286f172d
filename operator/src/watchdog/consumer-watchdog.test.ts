import { deferred } from '@todo/infra/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeObject } from '../kube/client.js';
import type { ConsumerGroupLag, ConsumerGroupQuery } from '../reconcile/topics.js';
import { createMetrics } from '../runtime/metrics.js';
import {
  ConsumerWatchdog,
  consumerGroups,
  lastRestartMs,
  RESTARTED_AT_ANNOTATION,
} from './consumer-watchdog.js';

const STALL = 180_000;
const COOLDOWN = 600_000;

const anApp = (name: string, dapr = true, topicsReady = true) =>
  ({
    apiVersion: 'tenancy.todo.dev/v1alpha1',
    kind: 'TodoApp',
    metadata: { name, namespace: 'ns', uid: `uid-${name}` },
    spec: { dapr: { enabled: dapr }, kafka: { brokers: ['k:9092'], topicPrefix: `ns-${name}` } },
    status: { conditions: [{ type: 'TopicsReady', status: topicsReady ? 'True' : 'False' }] },
  }) as unknown as TodoApp;

const aDeployment = (availableReplicas: number, annotations: Record<string, string> = {}): KubeObject => ({
  metadata: { name: 'x-api' },
  spec: { template: { metadata: { annotations } } },
  status: { availableReplicas },
});

/** A watchdog over fakes: `behind` lists the groups whose partition 0 sits at committed 5, end 10 (Stable). */
function harness(
  apps: TodoApp[],
  available: Record<string, number>,
  templateAnnotations: Record<string, string> = {},
) {
  let now = 1_000_000;
  const behind = new Set<string>();
  const failing = new Set<string>();
  /** While set, every read of Kafka waits for it. */
  const gate: { open?: Promise<void> } = {};
  const restarts: { app: string; deployment: string; at: string }[] = [];
  const events: { app: string; type: string; reason: string; message: string }[] = [];
  const metrics = createMetrics(false);
  const reads: string[] = [];
  const lag = async (app: TodoApp, groups: ConsumerGroupQuery[]): Promise<ConsumerGroupLag[]> => {
    reads.push(app.metadata.name);
    if (failing.has(app.metadata.name)) throw new Error('connect ECONNREFUSED');
    await gate.open;
    return groups.map(({ groupId, topics }) => ({
      groupId,
      state: 'Stable',
      members: 1,
      partitions: topics.map((topic) => ({
        topic,
        partition: 0,
        committed: 5,
        start: 0,
        end: behind.has(groupId) ? 10 : 5,
      })),
    }));
  };
  const watchdog = new ConsumerWatchdog(
    { checkMs: 30_000, stallMs: STALL, cooldownMs: COOLDOWN },
    {
      apps: () => apps,
      deployment: (_, name) => {
        const n = available[name.replace(/-api$/, '')];
        return n === undefined ? undefined : aDeployment(n, templateAnnotations);
      },
      lag,
      restart: async (app, deployment, at) => {
        restarts.push({ app: app.metadata.name, deployment, at: at.toISOString() });
      },
      events: {
        record: async (app, type, reason, message) => {
          events.push({ app: app.metadata.name, type, reason, message });
        },
      },
      metrics,
      log: pino({ level: 'silent' }),
      now: () => now,
    },
  );
  const advance = (ms: number) => {
    now += ms;
  };
  return { watchdog, behind, failing, gate, restarts, events, metrics, advance, reads };
}

const metricValue = async (
  metric: { get(): Promise<{ values: { labels: object; value: number }[] }> },
  labels: object,
) => (await metric.get()).values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;

describe('consumerGroups', () => {
  it('names the three groups of the pubsub components with the topic each consumes', () => {
    expect(consumerGroups(anApp('acme'))).toEqual([
      { groupId: 'ns.acme', topics: ['ns-acme.task-events'] },
      { groupId: 'ns.acme.reminders', topics: ['ns-acme.reminders'] },
      { groupId: 'ns.acme.task-updates', topics: ['ns-acme.task-updates'] },
    ]);
  });
});

describe('ConsumerWatchdog', () => {
  it('restarts the API pods once a group stayed stalled for the stall time, with a Warning Event, then waits out the cooldown', async () => {
    const h = harness([anApp('acme')], { acme: 1 });
    h.behind.add('ns.acme.reminders');
    await h.watchdog.check();
    h.advance(STALL - 1);
    await h.watchdog.check();
    expect(h.restarts).toEqual([]);

    h.advance(1);
    await h.watchdog.check();
    expect(h.restarts).toEqual([
      { app: 'acme', deployment: 'acme-api', at: new Date(1_000_000 + STALL).toISOString() },
    ]);
    expect(h.events).toEqual([
      {
        app: 'acme',
        type: 'Warning',
        reason: 'ConsumerStalled',
        message: `consumer group ns.acme.reminders stopped consuming topic ns-acme.reminders partitions 0 (lag 5, committed offsets unchanged since ${new Date(1_000_000).toISOString()}); its members stay in the group: restarting the pods of Deployment acme-api`,
      },
    ]);
    expect(await metricValue(h.metrics.consumerRestarts, { namespace: 'ns', todoapp: 'acme' })).toBe(1);

    // Still stalled after the restart: counted afresh, and not restarted again within the cooldown.
    for (let t = 0; t < COOLDOWN - 30_000; t += 30_000) {
      h.advance(30_000);
      await h.watchdog.check();
    }
    expect(h.restarts).toHaveLength(1);
    h.advance(30_000);
    await h.watchdog.check();
    expect(h.restarts).toHaveLength(2);
    expect(h.events).toHaveLength(2);
  });

  it.each([
    [RESTARTED_AT_ANNOTATION, 'another leader'],
    ['kubectl.kubernetes.io/restartedAt', '`kubectl rollout restart`'],
  ])('waits out the cooldown after a restart the pod template records (%s, by %s)', async (annotation) => {
    // Restarted a minute before the stall begins: by the time it has lasted STALL, the cooldown is not over.
    const h = harness(
      [anApp('acme')],
      { acme: 1 },
      { [annotation]: new Date(1_000_000 - 60_000).toISOString() },
    );
    h.behind.add('ns.acme');
    await h.watchdog.check();
    h.advance(STALL);
    await h.watchdog.check();
    expect(h.restarts).toEqual([]);
    h.advance(COOLDOWN - STALL - 60_000);
    await h.watchdog.check();
    expect(h.restarts).toHaveLength(1);
  });

  it('reads the last restart as the latest of the annotations and what it remembers', () => {
    const at = (iso: string) => Date.parse(iso);
    const deployment = aDeployment(1, {
      [RESTARTED_AT_ANNOTATION]: '2026-01-01T10:00:00.000Z',
      'kubectl.kubernetes.io/restartedAt': '2026-01-01T11:00:00Z',
    });
    expect(lastRestartMs(deployment, undefined)).toBe(at('2026-01-01T11:00:00Z'));
    expect(lastRestartMs(deployment, at('2026-01-01T12:00:00Z'))).toBe(at('2026-01-01T12:00:00Z'));
    expect(
      lastRestartMs(aDeployment(1, { [RESTARTED_AT_ANNOTATION]: 'not a time' }), undefined),
    ).toBeUndefined();
    expect(lastRestartMs(undefined, undefined)).toBeUndefined();
  });

  it('never restarts a tenant without an available API replica', async () => {
    const h = harness([anApp('down'), anApp('gone')], { down: 0 });
    h.behind.add('ns.down');
    h.behind.add('ns.gone');
    await h.watchdog.check();
    h.advance(2 * STALL);
    await h.watchdog.check();
    expect(h.restarts).toEqual([]);
    expect(h.events).toEqual([]);
    expect(
      await metricValue(h.metrics.consumerStalledPartitions, {
        namespace: 'ns',
        todoapp: 'down',
        group: 'ns.down',
      }),
    ).toBe(1);
  });

  it('reports the lag per group, and leaves tenants without Dapr alone', async () => {
    const apps = [anApp('acme'), anApp('plain', false)];
    const h = harness(apps, { acme: 1, plain: 1 });
    h.behind.add('ns.acme.task-updates');
    await h.watchdog.check();
    const values = (await h.metrics.consumerLag.get()).values;
    expect(values.map((v) => [v.labels.group, v.value])).toEqual([
      ['ns.acme', 0],
      ['ns.acme.reminders', 0],
      ['ns.acme.task-updates', 5],
    ]);
  });

  it('reads nothing of a tenant whose topics are not ready yet (nothing to consume; the reads would fail)', async () => {
    const h = harness([anApp('new', true, false), anApp('ready')], { new: 1, ready: 1 });
    h.behind.add('ns.new');
    await h.watchdog.check();
    h.advance(2 * STALL);
    await h.watchdog.check();
    expect(h.reads).toEqual(['ready', 'ready']);
    expect(h.restarts).toEqual([]);
  });

  it('keeps checking the other tenants when one tenant’s Kafka fails, and forgets a deleted tenant', async () => {
    const apps = [anApp('broken'), anApp('acme')];
    const h = harness(apps, { broken: 1, acme: 1 });
    h.failing.add('broken');
    h.behind.add('ns.acme');
    await h.watchdog.check();
    h.advance(STALL);
    await h.watchdog.check();
    expect(h.restarts.map((r) => r.app)).toEqual(['acme']);
    expect(await metricValue(h.metrics.consumerChecks, {})).toBe(2);

    apps.splice(1, 1);
    await h.watchdog.check();
    expect((await h.metrics.consumerLag.get()).values).toEqual([]);
  });

  it('does not restart once stopped, even with a stall judged from a read that was under way', async () => {
    const h = harness([anApp('acme')], { acme: 1 });
    h.behind.add('ns.acme');
    await h.watchdog.check();
    h.advance(STALL);
    const gate = deferred();
    h.gate.open = gate.promise;
    const round = h.watchdog.check();
    const stopped = h.watchdog.stop();
    gate.resolve();
    await Promise.all([round, stopped]);
    expect(h.restarts).toEqual([]);
    expect(h.events).toEqual([]);
  });
});
