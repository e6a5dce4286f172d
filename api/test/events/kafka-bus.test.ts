import type { CloudEvent } from '@todo/contract';
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventHandler, HandleResult } from '../../src/events/bus.js';
import { ensureTopics } from '../../src/events/kafka/ensure-topics.js';
import { KafkaPublisher } from '../../src/events/kafka/publisher.js';
import { KafkaSubscriber } from '../../src/events/kafka/subscriber.js';
import { RejectedEventsError } from '../../src/events/rejected-events.js';
import { outbound, taskEvent, uniqueTopic } from './kafka-fixtures.js';

let kafka: KafkaAccess;
let raw: Kafka;
let admin: Admin;
const closing: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  kafka = await useKafka();
  raw = new Kafka({ brokers: kafka.brokers, clientId: 'kafka-bus-test', logLevel: logLevel.NOTHING });
  admin = raw.admin();
  await admin.connect();
});
/** Closes what the test opened, newest first; a closed subscriber has committed what it finished. */
async function closeAll(): Promise<void> {
  for (const c of closing.splice(0).reverse()) await c.close();
}
afterEach(closeAll);
afterAll(async () => {
  await admin?.disconnect();
  await kafka?.stop();
});

function publisher(): KafkaPublisher {
  const p = new KafkaPublisher({ brokers: kafka.brokers });
  closing.push(p);
  return p;
}

async function subscriber(groupId: string, topic: string, handler: EventHandler): Promise<KafkaSubscriber> {
  const s = new KafkaSubscriber({
    brokers: kafka.brokers,
    groupId,
    retryBackoff: { initialMs: 50, maxMs: 200 },
  });
  closing.push(s);
  await s.subscribe(topic, handler);
  await s.start();
  return s;
}

async function topicWith(label: string, partitions: number): Promise<string> {
  const topic = uniqueTopic(label);
  expect(await ensureTopics(admin, [topic], partitions)).toEqual([topic]);
  return topic;
}

async function committed(groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

const seqOf = (event: CloudEvent) => (event.data as { seq: number }).seq;

describe('ensureTopics', () => {
  it('creates only the missing topics with the requested partitions', async () => {
    const first = uniqueTopic('ensure');
    const second = uniqueTopic('ensure');
    expect(await ensureTopics(admin, [first], 2)).toEqual([first]);
    expect(await ensureTopics(admin, [first, second], 3)).toEqual([second]);
    const { topics } = await admin.fetchTopicMetadata({ topics: [first, second] });
    expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      [
        [first, 2],
        [second, 3],
      ].sort(),
    );
  });

  it('rejects a partition count that is not a positive integer and creates nothing', async () => {
    const topic = uniqueTopic('ensure-bad');
    await expect(ensureTopics(admin, [topic], 0)).rejects.toThrow(/partitions/);
    expect(await admin.listTopics()).not.toContain(topic);
  });
});

describe('KafkaPublisher', () => {
  it('writes each event as a CloudEvents JSON record keyed by task id, with ce_type/ce_id headers', async () => {
    const topic = await topicWith('records', 1);
    const message = outbound(topic, 'task-42', 1);
    await publisher().publish([message]);

    const consumer = raw.consumer({ groupId: uniqueTopic('raw-reader') });
    closing.push({ close: () => consumer.disconnect() });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const record = await new Promise<{ key: string; value: unknown; headers: Record<string, string> }>(
      (resolve) => {
        void consumer.run({
          eachMessage: async ({ message: m }) => {
            const headers = Object.fromEntries(
              Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]),
            );
            resolve({ key: String(m.key), value: JSON.parse(String(m.value)), headers });
          },
        });
      },
    );
    expect(record).toEqual({
      key: 'task-42',
      value: message.event,
      headers: {
        'content-type': 'application/cloudevents+json',
        ce_type: 'todo.task.updated',
        ce_id: message.event.id,
      },
    });
  });

  it('names the event the broker refuses (too large) as rejected, and publishes the next batch', async () => {
    const topic = uniqueTopic('refused');
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }],
    });
    const p = publisher();
    const small = outbound(topic, 'task-1', 1);
    const huge = outbound(topic, 'task-1', 2);
    huge.event.data = { seq: 2, note: 'x'.repeat(20_000) };
    const refused = await p.publish([small, huge, outbound(topic, 'task-1', 3)]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RejectedEventsError);
    expect((refused as RejectedEventsError).eventIds).toEqual([huge.event.id]);
    await expect(p.publish([outbound(topic, 'task-2', 1)])).resolves.toBeUndefined();
  });

  it('resolves with nothing to do for an empty batch', async () => {
    await expect(publisher().publish([])).resolves.toBeUndefined();
  });
});

describe('KafkaSubscriber', () => {
  it('delivers every event of a task in publish order, across partitions and batches', async () => {
    const topic = await topicWith('order', 3);
    const tasks = ['task-a', 'task-b', 'task-c', 'task-d'];
    const pub = publisher();
    for (let batch = 0; batch < 5; batch++) {
      await pub.publish(
        tasks.flatMap((t) => Array.from({ length: 10 }, (_, i) => outbound(topic, t, batch * 10 + i))),
      );
    }
    const seen = new Map<string, number[]>();
    await subscriber(uniqueTopic('order-group'), topic, async (event) => {
      seen.set(event.subject, [...(seen.get(event.subject) ?? []), seqOf(event)]);
      return 'success';
    });
    await eventually('200 events', () => [...seen.values()].flat().length === 200);
    for (const t of tasks) expect(seen.get(t)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("redelivers an event answered 'retry' with backoff, holding back the same task's later events", async () => {
    const topic = await topicWith('retry', 1);
    await publisher().publish([1, 2, 3].map((seq) => outbound(topic, 'task-r', seq)));
    const calls: number[] = [];
    await subscriber(uniqueTopic('retry-group'), topic, async (event) => {
      calls.push(seqOf(event));
      return seqOf(event) === 2 && calls.filter((s) => s === 2).length < 3 ? 'retry' : 'success';
    });
    await eventually('event 3 handled', () => calls.includes(3));
    expect(calls).toEqual([1, 2, 2, 2, 3]);
  });

  it('treats a handler that throws as a retry', async () => {
    const topic = await topicWith('throws', 1);
    await publisher().publish([outbound(topic, 'task-t', 1)]);
    let calls = 0;
    await subscriber(uniqueTopic('throws-group'), topic, async () => {
      calls += 1;
      if (calls === 1) throw new Error('database briefly unavailable');
      return 'success';
    });
    await eventually('second delivery', () => calls === 2);
  });

  it("leaves an event answered 'retry' uncommitted, so the group gets it again after a restart", async () => {
    const topic = await topicWith('retry-commit', 1);
    const groupId = uniqueTopic('retry-commit-group');
    await publisher().publish([outbound(topic, 'task-x', 1), outbound(topic, 'task-x', 2)]);
    const first: HandleResult[] = [];
    const failing = await subscriber(groupId, topic, async (event) => {
      const result: HandleResult = seqOf(event) === 2 ? 'retry' : 'success';
      first.push(result);
      return result;
    });
    await eventually('event 2 retried', () => first.filter((r) => r === 'retry').length >= 2);
    await failing.close();
    expect(await committed(groupId, topic)).toBe(1);

    const second: number[] = [];
    await subscriber(groupId, topic, async (event) => {
      second.push(seqOf(event));
      return 'success';
    });
    await eventually('event 2 after restart', () => second.includes(2));
    expect(second).toEqual([2]);
    await closeAll();
    expect(await committed(groupId, topic)).toBe(2);
  });

  it("commits past events answered 'drop' and past malformed records, which never reach a handler", async () => {
    const topic = await topicWith('drop', 1);
    const groupId = uniqueTopic('drop-group');
    const producer = raw.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'task-m', value: 'not json' },
        { key: 'task-m', value: JSON.stringify({ hello: 'world' }) },
        { key: 'task-m', value: JSON.stringify({ ...taskEvent('task-m', 0), id: 42 }) },
        { key: 'task-m', value: null },
        { key: 'task-m', value: JSON.stringify(taskEvent('task-m', 1)) },
        { key: 'task-m', value: JSON.stringify(taskEvent('task-m', 2)) },
      ],
    });
    await producer.disconnect();
    const handled: number[] = [];
    await subscriber(groupId, topic, async (event) => {
      handled.push(seqOf(event));
      return seqOf(event) === 1 ? 'drop' : 'success';
    });
    await eventually('event 2 handled', () => handled.includes(2));
    expect(handled).toEqual([1, 2]);
    await closeAll();
    expect(await committed(groupId, topic)).toBe(6);
  });
});
