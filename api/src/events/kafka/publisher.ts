import { type Kafka, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import type { EventPublisher, OutboundMessage } from '../bus.js';
import { RejectedEventsError } from '../rejected-events.js';
import { type KafkaConnection, kafkaClient } from './client.js';
import { toKafkaRecord } from './record.js';

const PUBLISH_RETRY = { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 };

/** Broker errors about a record itself (kafkajs error `type`s): sending it again cannot succeed. */
const REFUSED_RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE']);

function refusesRecord(err: unknown): boolean {
  return REFUSED_RECORD_ERRORS.has(String((err as { type?: unknown } | null)?.type));
}

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
      const failure = refusesRecord(err) ? await this.findRefused(producer, messages, err) : err;
      // A failed send can leave the idempotent producer's sequence numbers or epoch unusable (for example
      // after the broker lost its producer state); a fresh producer id on the next attempt is always safe.
      if (this.producer === pending) this.producer = undefined;
      producer.disconnect().catch(() => undefined);
      throw failure;
    }
  }

  /**
   * The broker refused a record of the batch without saying which: send them one at a time, in order, up to
   * the first that fails, and name it if the broker refuses that one too. The ones before it are published
   * now and again with the batch's retry, which consumers absorb (at least once).
   */
  private async findRefused(
    producer: Producer,
    messages: readonly OutboundMessage[],
    batchError: unknown,
  ): Promise<unknown> {
    for (const message of messages) {
      try {
        await producer.sendBatch({ topicMessages: topicBatches([message]), acks: -1 });
      } catch (err) {
        return refusesRecord(err)
          ? new RejectedEventsError(`Kafka refused event ${message.event.id}: ${String(err)}`, [
              message.event.id,
            ])
          : err;
      }
    }
    return batchError;
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
