/**
 * The consumer watchdog on a real Kafka broker and kube-apiserver. A kafkajs consumer that joined its group and
 * then paused stands in for the stuck daprd consumer (docs/events.md, "A consumer that stops"): it stays a member
 * and heartbeats, and commits nothing while records pile up.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoAppSpec } from '../src/crd/todoapp.js';
import { collectionPath, KINDS } from '../src/kube/resources.js';
import { KafkaTopicAdmin } from '../src/reconcile/kafka-topic-admin.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import { RESTARTED_AT_ANNOTATION } from '../src/watchdog/consumer-watchdog.js';
import { judgeGroup } from '../src/watchdog/stall-judge.js';
import { type Cluster, createSecret, find, useCluster } from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  markPodsReady,
  operateNamespace,
  patchSpec,
  stopSuite,
  writesOfAnotherReconcile,
} from './support/todoapp.js';

const NS = 'wd';
let cluster: Cluster;
let kafka: KafkaAccess;
let client: Kafka;
let topics: KafkaTopicAdmin;
let operator: RunningOperator | undefined;
const consumers: Consumer[] = [];

/** `count` records spread over partitions 0 and 1 of `topic`. */
async function produce(topic: string, perPartition: Record<number, number>): Promise<void> {
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = Object.entries(perPartition).flatMap(([partition, count]) =>
    Array.from({ length: count }, (_, i) => ({ partition: Number(partition), value: `record ${i}` })),
  );
  await producer.send({ topic, messages });
  await producer.disconnect();
}

/**
 * A member of `groupId` on `topic` that joined, then paused: it heartbeats (`heartbeats()` counts them) and
 * consumes nothing.
 */
async function aStuckMember(groupId: string, topic: string) {
  const consumer = client.consumer({ groupId, heartbeatInterval: 300 });
  consumers.push(consumer);
  let beats = 0;
  consumer.on(consumer.events.HEARTBEAT, () => {
    beats += 1;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  consumer.pause([{ topic }]);
  return { heartbeats: () => beats };
}

/** A member of `groupId` that consumes and commits everything of `topic`. */
async function aWorkingMember(groupId: string, topic: string) {
  const consumer = client.consumer({ groupId, heartbeatInterval: 300 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
}

const kafkaSpec = (): TodoAppSpec['kafka'] =>
  ({
    brokers: kafka.brokers,
    topicPrefix: 'reader',
    partitions: 2,
    replicationFactor: 1,
  }) as TodoAppSpec['kafka'];

const stalledEvents = async (name: string) =>
  (
    await cluster.admin.get<{ items: { type: string; message: string }[] }>(
      `${collectionPath(KINDS.event, NS)}?fieldSelector=${encodeURIComponent(
        `involvedObject.name=${name},reason=ConsumerStalled`,
      )}`,
    )
  ).items;

const restartedAt = async (name: string) =>
  (await find<V1Deployment>(cluster.admin, 'deployment', NS, `${name}-api`))?.spec?.template.metadata
    ?.annotations?.[RESTARTED_AT_ANNOTATION];

const sampleOf = async (values: Promise<{ values: { labels: object; value: number }[] }>, labels: object) =>
  (await values).values.find((v) => Object.entries(labels).every(([k, x]) => (v.labels as never)[k] === x))
    ?.value ?? 0;

const checks = async () => sampleOf(operator?.metrics.consumerChecks.get() ?? Promise.reject(), {});

/** Waits until the watchdog completed `n` more rounds. */
async function rounds(n: number): Promise<void> {
  const target = (await checks()) + n;
  await eventually(`${n} more watchdog rounds`, async () => (await checks()) >= target);
}

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  client = new Kafka({
    clientId: 'consumer-watchdog-test',
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  topics = new KafkaTopicAdmin();
  operator = await operateNamespace(cluster, NS, {
    OPERATOR_CONSUMER_CHECK_SECONDS: '1',
    OPERATOR_CONSUMER_STALL_SECONDS: '1',
  });
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await topics?.close();
  await stopSuite(operator, cluster?.access, kafka);
});

describe('the consumer lag reader, on a real broker', () => {
  it('sees a paused member: Stable, one member, records behind, nothing committed and nothing moving', async () => {
    await topics.ensure(kafkaSpec());
    const stuck = await aStuckMember('reader.stuck', 'reader.reminders');
    await produce('reader.reminders', { 0: 3, 1: 2 });
    const groups = [{ groupId: 'reader.stuck', topics: ['reader.reminders'] }];

    const first = await eventually('the group Stable with the records', async () => {
      const [g] = await topics.consumerLag(kafkaSpec(), {}, groups);
      return g?.state === 'Stable' && g.partitions.every((p) => p.end > 0) && g;
    });
    expect(first.members).toBe(1);
    expect(first.partitions).toEqual([
      { topic: 'reader.reminders', partition: 0, committed: -1, start: 0, end: 3 },
      { topic: 'reader.reminders', partition: 1, committed: -1, start: 0, end: 2 },
    ]);
    const t0 = Date.now();
    const beats = stuck.heartbeats();
    await eventually('the member heartbeats on', async () => stuck.heartbeats() >= beats + 3);
    const [second] = await topics.consumerLag(kafkaSpec(), {}, groups);
    const t1 = Date.now();
    expect(second).toEqual(first);

    const before = judgeGroup(undefined, first, t0, t1 - t0);
    const judged = judgeGroup(before.watch, second ?? first, t1, t1 - t0);
    expect(judged.lag).toBe(5);
    expect(judged.stalled.map((p) => [p.partition, p.lag])).toEqual([
      [0, 3],
      [1, 2],
    ]);
  });

  it('does not judge a consuming group stalled', async () => {
    await topics.ensure({ ...kafkaSpec(), topicPrefix: 'working' });
    await produce('working.reminders', { 0: 4, 1: 4 });
    await aWorkingMember('working.group', 'working.reminders');
    const groups = [{ groupId: 'working.group', topics: ['working.reminders'] }];
    const t0 = Date.now();
    const [first] = await topics.consumerLag({ ...kafkaSpec(), topicPrefix: 'working' }, {}, groups);
    const drained = await eventually('the group committed everything', async () => {
      const [g] = await topics.consumerLag({ ...kafkaSpec(), topicPrefix: 'working' }, {}, groups);
      return g?.state === 'Stable' && g.partitions.every((p) => p.committed === p.end) && g;
    });
    const t1 = Date.now();
    if (!first) throw new Error('no sample');
    const judged = judgeGroup(judgeGroup(undefined, first, t0, 0).watch, drained, t1, 0);
    expect(judged).toMatchObject({ lag: 0, stalled: [] });
    expect(drained.members).toBe(1);
  });
});

describe('the consumer watchdog in the operator', () => {
  /** A tenant with its topics, its Deployment and (`available`) one of its pods Ready. */
  async function aTenant(name: string, available: boolean) {
    await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
    await createTodoApp(cluster.admin, aTodoApp(NS, name, kafka.brokers));
    await eventually(`${name} TopicsReady`, async () => {
      const c = condition(await getTodoApp(cluster.admin, NS, name), 'TopicsReady');
      return c?.status === 'True';
    });
    await eventually(
      `${name}-api`,
      async () => (await find(cluster.admin, 'deployment', NS, `${name}-api`)) !== undefined,
    );
    if (available) {
      await markPodsReady(cluster.admin, NS, `${name}-api`, 1);
      await eventually(`${name}-api available`, async () => {
        const d = await find<V1Deployment>(cluster.admin, 'deployment', NS, `${name}-api`);
        return (d?.status?.availableReplicas ?? 0) >= 1;
      });
    }
    await aStuckMember(`${NS}.${name}.reminders`, `${NS}-${name}.reminders`);
    await produce(`${NS}-${name}.reminders`, { 0: 2, 1: 1 });
  }

  it('restarts the pods of a tenant whose group stalled, once, with a Warning Event, and not again within the cooldown', async () => {
    await aTenant('stuck', true);
    const at = await eventually('the restart annotation', () => restartedAt('stuck'));
    expect(Number.isNaN(Date.parse(at))).toBe(false);
    const events = await eventually('the ConsumerStalled Event', async () => {
      const found = await stalledEvents('stuck');
      return found.length > 0 && found;
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('Warning');
    expect(events[0]?.message).toContain(
      `consumer group ${NS}.stuck.reminders stopped consuming topic ${NS}-stuck.reminders partitions 0,1 (lag 3,`,
    );
    const labels = { namespace: NS, todoapp: 'stuck' };
    expect(await sampleOf(operator?.metrics.consumerRestarts.get() ?? Promise.reject(), labels)).toBe(1);
    const group = { ...labels, group: `${NS}.stuck.reminders` };
    expect(await sampleOf(operator?.metrics.consumerLag.get() ?? Promise.reject(), group)).toBe(3);

    // Still stuck (the member stays paused): judged stalled again, but the cooldown holds the next restart.
    await eventually(
      'stalled again after the restart',
      async () =>
        (await sampleOf(operator?.metrics.consumerStalledPartitions.get() ?? Promise.reject(), group)) === 2,
    );
    await rounds(2);
    expect(await restartedAt('stuck')).toBe(at);
    expect(await stalledEvents('stuck')).toHaveLength(1);
    expect(await sampleOf(operator?.metrics.consumerRestarts.get() ?? Promise.reject(), labels)).toBe(1);
  });

  it('leaves the restart annotation to the reconciles: a steady one writes nothing, an apply keeps it', async () => {
    const at = await eventually('the restart annotation', () => restartedAt('stuck'));
    expect(await writesOfAnotherReconcile(operator as RunningOperator, NS, 'stuck')).toBe(0);
    expect(await restartedAt('stuck')).toBe(at);

    // A spec change re-applies the Deployment under the operator's field manager: the annotation is not its own.
    await patchSpec(cluster.admin, NS, 'stuck', { replicas: 2 });
    await eventually('the Deployment re-applied', async () => {
      const d = await find<V1Deployment>(cluster.admin, 'deployment', NS, 'stuck-api');
      return d?.spec?.replicas === 2;
    });
    expect(await restartedAt('stuck')).toBe(at);
  });

  it('does not restart a tenant without an available API replica', async () => {
    await aTenant('down', false);
    const group = { namespace: NS, todoapp: 'down', group: `${NS}.down.reminders` };
    await eventually(
      'the group judged stalled',
      async () =>
        (await sampleOf(operator?.metrics.consumerStalledPartitions.get() ?? Promise.reject(), group)) === 2,
    );
    await rounds(2);
    expect(await restartedAt('down')).toBeUndefined();
    expect(await stalledEvents('down')).toEqual([]);
  });
});
