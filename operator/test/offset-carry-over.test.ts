/**
 * An upgrade that moves a tenant's pubsub components from one shared consumer group to a group each, on a real
 * Kafka broker and kube-apiserver: the tenants and the Components an older operator left (every component in group
 * `<namespace>.<name>`), and the offsets that group committed, exist before this operator starts.
 */
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoApp } from '../src/crd/todoapp.js';
import type { KubeObject } from '../src/kube/client.js';
import { KINDS, objectPath } from '../src/kube/resources.js';
import { desiredDaprComponents } from '../src/reconcile/desired/dapr.js';
import { topicNames } from '../src/reconcile/topics.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  find,
  installCrds,
  useCluster,
} from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  patchSpec,
  runOperator,
  stopSuite,
  writesOfAnotherReconcile,
} from './support/todoapp.js';

const NS = 'offsets';
const SHARED = (name: string) => `${NS}.${name}`;
let cluster: Cluster;
let kafka: KafkaAccess;
let client: Kafka;
let admin: Admin;
let operator: RunningOperator | undefined;

const topic = (name: string, t: 'reminders' | 'task-updates') => `${NS}-${name}.${t}`;

/** The committed offset of each partition of `topic` in `groupId` (-1: none), by partition. */
async function offsetsOf(groupId: string, t: string): Promise<Record<number, string>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [t] });
  return Object.fromEntries((result?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

/** `count` records on each of the given partitions of `t`. */
async function produce(t: string, perPartition: Record<number, number>): Promise<void> {
  // Idempotent: a send retried while a new topic's leaders settle must not write its records twice.
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = Object.entries(perPartition).flatMap(([partition, count]) =>
    Array.from({ length: count }, (_, i) => ({ partition: Number(partition), value: `record ${i}` })),
  );
  await producer.send({ topic: t, messages });
  await producer.disconnect();
}

/** A consumer in `groupId` reads all `total` records of `topics` there are, commits them, and leaves the group. */
async function consumeAndCommit(groupId: string, topics: string[], total: number): Promise<void> {
  const consumer = client.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async () => {
          seen += 1;
          if (seen === total) resolve();
        },
      })
      .catch(reject);
  });
  const committed = async () =>
    (await admin.fetchOffsets({ groupId, topics })).flatMap((t) =>
      t.partitions.map((p) => Math.max(0, Number(p.offset))),
    );
  await eventually(
    `${groupId} committed ${total}`,
    async () => (await committed()).reduce((a, b) => a + b, 0) === total,
  );
  await consumer.disconnect();
}

interface ComponentSpec {
  metadata: { name: string; value?: string }[];
}

/** The tenant's Components as an operator before 015963d applied them: all three pubsubs in one group. */
async function applyComponentsInSharedGroup(app: TodoApp): Promise<void> {
  for (const component of desiredDaprComponents(app)) {
    const spec = component.spec as ComponentSpec;
    const metadata = spec.metadata.map((m) =>
      m.name === 'consumerGroup' ? { ...m, value: SHARED(app.metadata.name) } : m,
    );
    await cluster.admin.apply(objectPath(KINDS.daprComponent, NS, component.metadata.name), {
      ...component,
      spec: { ...spec, metadata },
    });
  }
}

/** A TodoApp created before this operator runs, with topics and old-style Components as an older one made them. */
async function anUpgradedTenant(name: string): Promise<TodoApp> {
  await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
  const app = await createTodoApp(cluster.admin, aTodoApp(NS, name, kafka.brokers));
  await admin.createTopics({
    waitForLeaders: true,
    topics: topicNames(app.spec.kafka.topicPrefix).map((t) => ({
      topic: t,
      numPartitions: app.spec.kafka.partitions,
      replicationFactor: 1,
    })),
  });
  await applyComponentsInSharedGroup(app);
  // The shared group reads 5 records on partitions 0 and 1 of both topics (none on 2), more arrive after.
  await produce(topic(name, 'reminders'), { 0: 5, 1: 5 });
  await produce(topic(name, 'task-updates'), { 0: 5, 1: 5 });
  await consumeAndCommit(SHARED(name), [topic(name, 'reminders'), topic(name, 'task-updates')], 20);
  await produce(topic(name, 'reminders'), { 0: 2, 2: 2 });
  return app;
}

const consumerGroupOfComponent = async (component: string) =>
  (
    (await find<KubeObject>(cluster.admin, 'daprComponent', NS, component))?.spec as ComponentSpec | undefined
  )?.metadata.find((m) => m.name === 'consumerGroup')?.value;

/** Waits until the operator rendered the tenant's reminders Component in its own group. */
const migrated = (name: string) =>
  eventually(
    `${name}-pubsub-reminders in its own group`,
    async () => (await consumerGroupOfComponent(`${name}-pubsub-reminders`)) === `${SHARED(name)}.reminders`,
    60_000,
  );

const migrationEvents = async (name: string) =>
  (
    await cluster.admin.get<{ items: { message: string }[] }>(
      `/api/v1/namespaces/${NS}/events?fieldSelector=${encodeURIComponent(
        `involvedObject.name=${name},reason=ConsumerOffsetsMigrated`,
      )}`,
    )
  ).items;

let busy: ReturnType<Kafka['consumer']>;

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  client = new Kafka({
    clientId: 'offset-carry-over-test',
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  admin = client.admin();
  await admin.connect();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, NS);

  await anUpgradedTenant('upgraded');
  // Its reminders group already consumed on its own (p0: 7, p1: 5): left as it is.
  await anUpgradedTenant('partial');
  await consumeAndCommit(`${SHARED('partial')}.reminders`, [topic('partial', 'reminders')], 14);
  // Its reminders group has a member (a sidecar already in it): never moved under it.
  await anUpgradedTenant('busy');
  busy = client.consumer({ groupId: `${SHARED('busy')}.reminders` });
  await busy.connect();
  await busy.subscribe({ topics: [topic('busy', 'reminders')] });
  const joined = new Promise((resolve) => busy.on(busy.events.GROUP_JOIN, resolve));
  await busy.run({ eachMessage: async () => undefined });
  await joined;

  // Its brokers do not answer (a closed port).
  await createSecret(cluster.admin, NS, 'cut-db', { url: 'postgres://x@db:5432/x' });
  await applyComponentsInSharedGroup(
    await createTodoApp(cluster.admin, aTodoApp(NS, 'cut', ['127.0.0.1:1'])),
  );

  operator = await runOperator(cluster.adminAccess);
});

afterAll(async () => {
  await busy?.disconnect();
  await admin?.disconnect();
  await stopSuite(operator, cluster?.access, kafka);
});

describe('an upgraded tenant’s consumer groups', () => {
  it('resume where the shared group stopped: its committed offsets are carried over, partition by partition', async () => {
    await migrated('upgraded');
    for (const t of ['reminders', 'task-updates'] as const) {
      const shared = await offsetsOf(SHARED('upgraded'), topic('upgraded', t));
      expect(shared).toEqual({ 0: '5', 1: '5', 2: '-1' });
      expect(await offsetsOf(`${SHARED('upgraded')}.${t}`, topic('upgraded', t))).toEqual(shared);
    }
    expect(await consumerGroupOfComponent('upgraded-pubsub-task-updates')).toBe(
      `${SHARED('upgraded')}.task-updates`,
    );
    expect(await consumerGroupOfComponent('upgraded-pubsub')).toBe(SHARED('upgraded'));
    // Recorded once the Components are applied.
    const events = await eventually('ConsumerOffsetsMigrated', async () => {
      const found = await migrationEvents('upgraded');
      return found.length > 0 && found;
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toContain(`${SHARED('upgraded')}.reminders (2 partitions`);
  });

  it('are left alone by the next reconcile, which writes nothing', async () => {
    await migrated('upgraded');
    const before = await offsetsOf(`${SHARED('upgraded')}.reminders`, topic('upgraded', 'reminders'));
    expect(await writesOfAnotherReconcile(operator as RunningOperator, NS, 'upgraded')).toBe(0);
    expect(await offsetsOf(`${SHARED('upgraded')}.reminders`, topic('upgraded', 'reminders'))).toEqual(
      before,
    );
    expect(await migrationEvents('upgraded')).toHaveLength(1);
  });

  it('keep the offsets a new group committed itself, and carry over only to the others', async () => {
    await migrated('partial');
    expect(await offsetsOf(`${SHARED('partial')}.reminders`, topic('partial', 'reminders'))).toEqual({
      0: '7',
      1: '5',
      2: '2',
    });
    expect(await offsetsOf(`${SHARED('partial')}.task-updates`, topic('partial', 'task-updates'))).toEqual({
      0: '5',
      1: '5',
      2: '-1',
    });
  });

  it('are never moved while a member is in the group', async () => {
    await migrated('busy');
    expect(await offsetsOf(`${SHARED('busy')}.reminders`, topic('busy', 'reminders'))).toEqual({
      0: '-1',
      1: '-1',
      2: '-1',
    });
    expect(await offsetsOf(`${SHARED('busy')}.task-updates`, topic('busy', 'task-updates'))).toEqual({
      0: '5',
      1: '5',
      2: '-1',
    });
  });
});

describe('an upgraded tenant whose brokers do not answer', () => {
  it('keeps its Components in the shared group and its pods as they are until the offsets are carried over', async () => {
    await eventually('cut KafkaUnavailable', async () => {
      const c = condition(await getTodoApp(cluster.admin, NS, 'cut'), 'TopicsReady');
      return c?.reason === 'KafkaUnavailable';
    });
    expect(await consumerGroupOfComponent('cut-pubsub-reminders')).toBe(SHARED('cut'));
    expect(await find(cluster.admin, 'deployment', NS, 'cut-api')).toBeUndefined();
    expect(await find(cluster.admin, 'configMap', NS, 'cut-config')).toBeDefined();

    await patchSpec(cluster.admin, NS, 'cut', { kafka: { brokers: kafka.brokers } });
    await migrated('cut');
    expect(await find(cluster.admin, 'deployment', NS, 'cut-api')).toBeDefined();
  });
});

describe('a new tenant', () => {
  it('gets its groups with no offsets set, no Event, and a successful reconcile', async () => {
    await createSecret(cluster.admin, NS, 'fresh-db', { url: 'postgres://x@db:5432/x' });
    await createTodoApp(cluster.admin, aTodoApp(NS, 'fresh', kafka.brokers));
    await eventually('fresh TopicsReady', async () => {
      const c = condition(await getTodoApp(cluster.admin, NS, 'fresh'), 'TopicsReady');
      return c?.status === 'True';
    });
    expect(await consumerGroupOfComponent('fresh-pubsub-reminders')).toBe(`${SHARED('fresh')}.reminders`);
    for (const t of ['reminders', 'task-updates'] as const) {
      expect(Object.values(await offsetsOf(`${SHARED('fresh')}.${t}`, topic('fresh', t)))).toEqual([
        '-1',
        '-1',
        '-1',
      ]);
    }
    expect(await migrationEvents('fresh')).toEqual([]);
  });
});
