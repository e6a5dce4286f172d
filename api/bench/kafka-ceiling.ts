/**
 * The ceiling for `npm run bench:events`: kafkajs producing task-sized CloudEvents straight to Kafka and a
 * consumer group reading them back, with the same producer guarantees as KafkaPublisher (idempotent,
 * acks=all), so the ratio compares the app's pipeline with the best this client and broker can do here.
 * Run alone: `node --import tsx api/bench/kafka-ceiling.ts [events]` (KAFKA_BROKERS or a started broker).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { EVENT_SOURCE, TASK_EVENT_TYPES } from '@todo/contract';
import { type Consumer, type Kafka, Partitioners, type Producer } from 'kafkajs';
import { kafkaClient } from '../src/events/kafka/client.js';
import { ensureTopics } from '../src/events/kafka/ensure-topics.js';

export interface KafkaCeilingOptions {
  brokers: string[];
  /** Base name; the run creates fresh `<topic>-throughput-<id>` and `<topic>-latency-<id>` topics. */
  topic: string;
  /** Events produced as fast as possible for the throughput figure. */
  events: number;
  /** Fixed rate of the latency run (default 1,000/s). */
  ratePerSec?: number;
  /** Events in the latency run (default 5 s worth at `ratePerSec`, at most `events`). */
  latencyEvents?: number;
  partitions?: number;
}

export interface KafkaCeiling {
  /** Sustained produce → consume rate at full speed. */
  eventsPerSec: number;
  /** Produce → consumed latency at the fixed rate. */
  latencyMs: { p50: number; p95: number; p99: number };
}

/** A task CloudEvent of realistic size (~1 KB of JSON), as the outbox would publish it. */
export function sampleTaskEvent(n: number): string {
  const now = new Date().toISOString();
  const id = randomUUID();
  return JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: TASK_EVENT_TYPES.updated,
    subject: id,
    time: now,
    datacontenttype: 'application/json',
    data: {
      id,
      userId: randomUUID(),
      title: `Benchmark task number ${n}`,
      description: 'Prepare the quarterly planning notes and share them with the team. '.repeat(4),
      completed: false,
      completedAt: null,
      priority: 'high',
      tags: ['work', 'planning', 'q3'],
      dueAt: now,
      timeZone: 'Europe/London',
      reminders: [{ id: randomUUID(), before: 'PT15M' }],
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO,WE', from: 'due' },
      seriesId: id,
      createdAt: now,
      updatedAt: now,
      version: 3,
    },
  });
}

/** The p-th percentile (0–100) of ascending values, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Starts a consumer group on a topic and resolves once it has joined; `onMessage` sees each record's timestamp. */
async function joinedConsumer(
  kafka: Kafka,
  topic: string,
  onMessage: (producedAt: number) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        JSON.parse(String(message.value));
        onMessage(now - Number(message.timestamp));
      }
    },
  });
  await joined;
  return consumer;
}

/** Sends events `from`..`to`-1; `scheduledAt` stamps each with when it was due, so a late send counts as latency. */
async function sendBatch(
  producer: Producer,
  topic: string,
  [from, to]: [number, number],
  scheduledAt: (n: number) => number = Date.now,
): Promise<void> {
  const messages = [];
  for (let n = from; n < to; n++) {
    messages.push({
      key: `task-${n % 1000}`,
      value: sampleTaskEvent(n),
      timestamp: String(Math.round(scheduledAt(n))),
    });
  }
  await producer.send({ topic, acks: -1, messages });
}

function waitForCount(count: () => number, target: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = setInterval(() => {
      if (count() >= target) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error(`consumed ${count()} of ${target} events within ${timeoutMs} ms`));
      }
    }, 5);
  });
}

/** Measures kafkajs → Kafka → kafkajs consumer group: full-speed throughput, then latency at a fixed rate. */
export async function measureKafkaCeiling(options: KafkaCeilingOptions): Promise<KafkaCeiling> {
  const { brokers, events, ratePerSec = 1000, partitions = 3 } = options;
  const latencyEvents = options.latencyEvents ?? Math.min(events, 5 * ratePerSec);
  const runId = randomUUID().slice(0, 8);
  const throughputTopic = `${options.topic}-throughput-${runId}`;
  const latencyTopic = `${options.topic}-latency-${runId}`;
  const kafka = kafkaClient({ brokers, clientId: 'kafka-ceiling' }, { retries: 5 });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [throughputTopic, latencyTopic], partitions);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumers: Consumer[] = [];
  try {
    let consumed = 0;
    consumers.push(await joinedConsumer(kafka, throughputTopic, () => consumed++));
    const started = performance.now();
    for (let n = 0; n < events; n += 500)
      await sendBatch(producer, throughputTopic, [n, Math.min(events, n + 500)]);
    await waitForCount(() => consumed, events, 120_000);
    const eventsPerSec = events / ((performance.now() - started) / 1000);
    await consumers.pop()?.disconnect();
    // Let the full-speed run settle (page-cache write-back, GC) so it does not show up as single-event latency.
    await new Promise((r) => setTimeout(r, 2000));

    const latencies: number[] = [];
    consumers.push(await joinedConsumer(kafka, latencyTopic, (ms) => latencies.push(ms)));
    const begin = Date.now();
    const dueAt = (n: number) => begin + (n / ratePerSec) * 1000;
    let sent = 0;
    while (sent < latencyEvents) {
      // Everything due by now goes in one request, as a relay draining its outbox would send it.
      const due = Math.min(latencyEvents, Math.floor(((Date.now() - begin) / 1000) * ratePerSec) + 1);
      if (due > sent) {
        await sendBatch(producer, latencyTopic, [sent, due], dueAt);
        sent = due;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, dueAt(sent) - Date.now())));
    }
    await waitForCount(() => latencies.length, latencyEvents, 60_000);
    latencies.sort((a, b) => a - b);
    return {
      eventsPerSec,
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
    };
  } finally {
    for (const consumer of consumers) await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [throughputTopic, latencyTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { useKafka } = await import('@todo/infra');
  const kafka = await useKafka();
  try {
    const events = Number(process.argv[2] ?? 50_000);
    const result = await measureKafkaCeiling({ brokers: kafka.brokers, topic: 'ceiling', events });
    console.log(
      `kafkajs ceiling: ${Math.round(result.eventsPerSec)} events/s sustained (${events} events); ` +
        `at 1,000/s p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms`,
    );
  } finally {
    await kafka.stop();
  }
}
