import type { CloudEvent } from '@todo/contract';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { type BaseLogger, pino } from 'pino';
import type { EventHandler, EventSubscriber, HandleResult } from '../bus.js';
import { type KafkaConnection, kafkaClient } from './client.js';
import { parseCloudEvent, retryDelayMs } from './record.js';

/** Records handed to a batch handler at once: one transaction's worth. */
const CHUNK = 250;

// kafkajs restarts a crashed consumer after its retries; short, capped waits make it rejoin soon after an outage.
// By default it gives up for good on a crash it deems non-retriable or once retries run out (a broker down for
// longer than ~30 s): a consumer of ours must never stop for the life of the process, so it always restarts.
const CONSUMER_RETRY = {
  retries: 10,
  initialRetryTime: 250,
  maxRetryTime: 3000,
  restartOnFailure: async () => true,
};

export interface KafkaSubscriberOptions extends KafkaConnection {
  groupId: string;
  /** Partitions handled at the same time; order is kept within each partition. */
  partitionsConsumedConcurrently?: number;
  /** Delay before redelivering an event whose handler answered 'retry' (or threw). */
  retryBackoff?: { initialMs: number; maxMs: number };
}

/**
 * Runs handlers as one kafkajs consumer group. Per record: 'success' and 'drop' move the committed offset
 * past it; 'retry' (or a thrown error) leaves it uncommitted, rewinds the partition to it and pauses that
 * partition for a backoff, so later events of the same key never overtake it while other partitions go on.
 * Malformed records (not a CloudEvents JSON envelope) are logged and dropped.
 */
export class KafkaSubscriber implements EventSubscriber {
  private readonly kafka: Kafka;
  private readonly handlers = new Map<string, EventHandler>();
  private readonly attempts = new Map<string, { offset: string; count: number }>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly logger: BaseLogger;
  private consumer: Consumer | undefined;
  private closed = false;

  constructor(private readonly options: KafkaSubscriberOptions) {
    this.kafka = kafkaClient(options, CONSUMER_RETRY);
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  async subscribe(topic: string, handler: EventHandler): Promise<void> {
    if (this.consumer) throw new Error(`subscribe("${topic}") must come before start()`);
    if (this.handlers.has(topic)) throw new Error(`topic "${topic}" already has a handler`);
    this.handlers.set(topic, handler);
  }

  /**
   * Joins the group and starts consuming; a new group starts from the earliest retained event. A broker that
   * cannot be reached now is not fatal: the API serves writes meanwhile (their events wait in the outbox)
   * and the consumer keeps trying to start in the background.
   */
  async start(): Promise<void> {
    if (this.handlers.size === 0) throw new Error('KafkaSubscriber.start() without any subscription');
    await this.startConsumer().catch((err: unknown) => this.retryStart(err));
  }

  private async startConsumer(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      // kafkajs sleeps this long when every partition is paused and long-polls this long when idle; the
      // 5 s default would stretch every retry backoff and every close() to 5 s.
      maxWaitTimeInMs: 250,
      // After a broker restart kafkajs rejoins as a new member and the group waits for the old one's session
      // to expire; 10 s (broker minimum 6 s) keeps that pause short. Handlers heartbeat between records.
      sessionTimeout: 10_000,
      heartbeatInterval: 3000,
    });
    this.consumer = consumer;
    // kafkajs ends a consumer for good after a crash it deems non-retriable (for example "group
    // coordinator not found" while a fresh broker is still creating its offsets topic); we start a new one.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.consumer !== consumer) return;
      this.logger.warn(
        { groupId: this.options.groupId, err: payload.error },
        'Kafka consumer stopped; starting a new one',
      );
      this.consumer = undefined;
      this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      this.startConsumer().catch((err: unknown) => this.retryStart(err));
    }, 1000);
    this.resumeTimers.add(timer);
  }

  /** Drops a consumer that failed to start and tries again in a second. */
  private async retryStart(err: unknown): Promise<void> {
    this.logger.warn({ groupId: this.options.groupId, err }, 'Kafka consumer could not start; trying again');
    const failed = this.consumer;
    this.consumer = undefined;
    await failed?.disconnect().catch(() => undefined);
    this.scheduleRestart();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  /**
   * Hands the fetched records to the topic's handler in chunks (one database transaction per chunk when the
   * handler takes batches), then moves the offset past every record answered 'success' or 'drop', stopping
   * at the first 'retry'.
   */
  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    for (let start = 0; start < batch.messages.length; start += CHUNK) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + CHUNK);
      const results = await this.handleChunk(batch.topic, batch.partition, chunk);
      for (let i = 0; i < chunk.length; i++) {
        const message = chunk[i]!;
        if (results[i] === 'retry') {
          this.redeliverLater(batch.topic, batch.partition, message.offset, payload.pause);
          return;
        }
        resolveOffset(message.offset);
      }
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  private async handleChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
  ): Promise<HandleResult[]> {
    const handler = this.handlers.get(topic);
    if (!handler?.batch || messages.length === 1) {
      const results: HandleResult[] = [];
      for (const message of messages) {
        const result = await this.handle(topic, partition, message);
        results.push(result);
        if (result === 'retry') break;
      }
      return results;
    }
    const results: HandleResult[] = new Array(messages.length).fill('drop');
    const events: CloudEvent[] = [];
    const positions: number[] = [];
    messages.forEach((message, i) => {
      const parsed = parseCloudEvent(message.value);
      if (parsed.ok) {
        events.push(parsed.event);
        positions.push(i);
      } else {
        this.logger.warn(
          { topic, partition, offset: message.offset, reason: parsed.reason },
          'dropping malformed event record',
        );
      }
    });
    let handled: HandleResult[];
    try {
      handled = events.length ? await handler.batch(events) : [];
    } catch (err) {
      this.logger.error({ topic, partition, err }, 'event handler failed; will retry');
      handled = events.map(() => 'retry');
    }
    handled.forEach((result, k) => {
      results[positions[k]!] = result;
    });
    return results;
  }

  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<HandleResult> {
    const where = { topic, partition, offset: message.offset };
    const parsed = parseCloudEvent(message.value);
    if (!parsed.ok) {
      this.logger.warn({ ...where, reason: parsed.reason }, 'dropping malformed event record');
      return 'drop';
    }
    const handler = this.handlers.get(topic);
    if (!handler) return 'drop';
    let result: HandleResult;
    try {
      result = await handler(parsed.event);
    } catch (err) {
      this.logger.error({ ...where, eventId: parsed.event.id, err }, 'event handler failed; will retry');
      result = 'retry';
    }
    if (result === 'drop')
      this.logger.warn({ ...where, eventId: parsed.event.id }, 'event dropped by its handler');
    return result;
  }

  /** Rewinds the partition to the record and pauses it for the backoff; the offset stays uncommitted. */
  private redeliverLater(topic: string, partition: number, offset: string, pause: () => () => void): void {
    const key = `${topic}/${partition}`;
    const previous = this.attempts.get(key);
    const count = previous?.offset === offset ? previous.count + 1 : 1;
    this.attempts.set(key, { offset, count });
    this.consumer?.seek({ topic, partition, offset });
    const resume = pause();
    const delay = retryDelayMs(count, this.options.retryBackoff ?? { initialMs: 200, maxMs: 30_000 });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, delay);
    this.resumeTimers.add(timer);
  }
}
