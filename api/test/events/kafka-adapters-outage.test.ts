import type { CloudEvent } from '@todo/contract';
import { type KafkaServer, startKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '../../src/events/kafka/ensure-topics.js';
import { KafkaPublisher } from '../../src/events/kafka/publisher.js';
import { KafkaSubscriber } from '../../src/events/kafka/subscriber.js';
import { outbound, uniqueTopic } from './kafka-fixtures.js';

// This suite stops and restarts the broker, so it always runs its own (KAFKA_BROKERS cannot be used here).
let server: KafkaServer;
beforeAll(async () => {
  server = await startKafka();
});
afterAll(async () => {
  await server?.stop();
});

/** A fresh topic, a publisher, and a subscriber (its own group) recording the `seq` of each event it gets. */
async function topicWithSubscriber(label: string, partitions: number) {
  const topic = uniqueTopic(label);
  const admin = new Kafka({ brokers: server.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await ensureTopics(admin, [topic], partitions);
  await admin.disconnect();
  const publisher = new KafkaPublisher({ brokers: server.brokers });
  const subscriber = new KafkaSubscriber({ brokers: server.brokers, groupId: uniqueTopic(`${label}-group`) });
  const seen: number[] = [];
  await subscriber.subscribe(topic, async (event: CloudEvent) => {
    seen.push((event.data as { seq: number }).seq);
    return 'success';
  });
  return { topic, publisher, subscriber, seen };
}

describe('Kafka adapters across a broker outage', () => {
  it('publish rejects while the broker is down and succeeds after it restarts; the running group gets every event', async () => {
    const { topic, publisher, subscriber, seen } = await topicWithSubscriber('outage', 2);
    try {
      await subscriber.start();
      await publisher.publish([outbound(topic, 'task-1', 1)]);
      await eventually('event before the outage', () => seen.includes(1));

      await server.stopBroker();
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = Date.now();
        await expect(publisher.publish([outbound(topic, 'task-1', 2)])).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(10_000);
      }

      await server.startBroker();
      await publisher.publish([outbound(topic, 'task-1', 2), outbound(topic, 'task-2', 3)]);
      await eventually('events after the restart', () => seen.includes(2) && seen.includes(3), 60_000);
      expect([...new Set(seen)].sort()).toEqual([1, 2, 3]);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  }, 120_000);

  it('a subscriber started while the broker is down does not fail, and consumes once the broker is back', async () => {
    const { topic, publisher, subscriber, seen } = await topicWithSubscriber('late', 1);
    try {
      await server.stopBroker();
      await subscriber.start();
      await server.startBroker();
      await publisher.publish([outbound(topic, 'task-1', 1)]);
      await eventually('the event, consumed after the broker came back', () => seen.includes(1), 60_000);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  }, 120_000);
});
