import { type Kafka, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import type { EventPublisher, OutboundMessage } from '../bus.js';
import { type KafkaConnection, kafkaClient } from './client.js';
import { toKafkaRecord } from './record.js';

const PUBLISH_RETRY = { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 };

/** Groups messages by topic, keeping each topic's messages (and so each key's) in their original order. */
export function topicBatches(messages: readonly OutboundMessage[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const message of messages) {
    let batch = byTopic.get(message.topic);
    if (!batch) {
      batch = { topic: message.topic, messages: [] };
      byTopic.set(message.topic, batch);
    }
    batch.messages.push(toKafkaRecord(message));
  }
  return [...byTopic.values()];
}

/**
 * Publishes CloudEvents to Kafka with an idempotent producer and acks from all in-sync replicas.
 * `publish` resolves only when the broker acknowledged every record and rejects otherwise, so the outbox
 * relay keeps the rows and backs off. Delivery is at least once: a batch rejected half-way may be sent
 * again, which consumers absorb because they apply each event id once.
 */
export class KafkaPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | undefined;
  private closed = false;

  constructor(connection: KafkaConnection) {
    // Few, short retries: a publish fails within seconds while Kafka is down, and the relay owns the long backoff.
    this.kafka = kafkaClient(connection, PUBLISH_RETRY);
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closed) throw new Error('KafkaPublisher is closed');
    if (messages.length === 0) return;
    const pending = this.connectedProducer();
    const producer = await pending;
    try {
      await producer.sendBatch({ topicMessages: topicBatches(messages), acks: -1 });
    } catch (err) {
      // A failed send can leave the idempotent producer's sequence numbers or epoch unusable (for example
      // after the broker lost its producer state); a fresh producer id on the next attempt is always safe.
      if (this.producer === pending) this.producer = undefined;
      producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        // kafkajs serialises idempotent produce requests per broker anyway; one in flight keeps ordering
        // trivially correct across its internal retries.
        maxInFlightRequests: 1,
        retry: PUBLISH_RETRY,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
    }
    return this.producer;
  }
}
