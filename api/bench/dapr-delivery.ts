/**
 * daprd's bulk delivery alone, without the API: a stand-in app answers every delivery SUCCESS after a fixed delay
 * (a timer, no CPU, no database), kafkajs produces task-events and task-updates records at a fixed rate, and the
 * latency is produce → the stand-in's answer. It tells what daprd's Kafka component adds from what the app's
 * answer time costs (docs/benchmarks.md, bench:events). Run:
 *
 *   node --conditions=source --import tsx api/bench/dapr-delivery.ts
 *
 * Knobs: DELIVERY_COMPONENTS (`per-topic`, as the operator renders, or `one` for all topics), DELIVERY_APP_MS
 * (the stand-in's answer delay, 4), DELIVERY_AWAIT_MS (maxAwaitDurationMs, 5), DELIVERY_RATE (records/s, 1,000),
 * DELIVERY_SECONDS (10). KAFKA_BROKERS uses a running broker.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { freePort, startSidecarWithScheduler, useKafka, writeStandaloneResources } from '@todo/infra';
import { kafkaClient } from '../src/events/kafka/client.js';
import { ensureTopics } from '../src/events/kafka/ensure-topics.js';
import { fmt, percentiles } from './stats.js';

const knob = (name: string, fallback: string) => process.env[name] ?? fallback;
const PER_TOPIC = knob('DELIVERY_COMPONENTS', 'per-topic') === 'per-topic';
const APP_MS = Number(knob('DELIVERY_APP_MS', '4'));
const AWAIT_MS = Number(knob('DELIVERY_AWAIT_MS', '5'));
const RATE = Number(knob('DELIVERY_RATE', '1000'));
const SECONDS = Number(knob('DELIVERY_SECONDS', '10'));

interface Delivery {
  entries: { entryId: string; event: { data: { sentAt: number } } }[];
}

const kafka = await useKafka();
const prefix = `delivery${randomBytes(3).toString('hex')}`;
const topics = {
  tasks: `${prefix}.task-events`,
  updates: `${prefix}.task-updates`,
  reminders: `${prefix}.reminders`,
};
const admin = kafkaClient({ brokers: kafka.brokers }, { retries: 2 }).admin();
await admin.connect();
await ensureTopics(admin, Object.values(topics), 3);
await admin.disconnect();

const pubsubOf = (key: string) => (PER_TOPIC ? `pubsub-${key}` : 'pubsub');
const latencies: number[] = [];
const sizes: number[] = [];
let measuring = false;
let inFlight = 0;
let maxInFlight = 0;

const appPort = await freePort();
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/dapr/subscribe') {
      const bulkSubscribe = { enabled: true, maxMessagesCount: 250, maxAwaitDurationMs: AWAIT_MS };
      const subscriptions = Object.entries(topics).map(([key, topic]) => ({
        pubsubname: pubsubOf(key),
        topic,
        route: `/events/${key}`,
        bulkSubscribe,
      }));
      res.end(JSON.stringify(subscriptions));
      return;
    }
    if (!req.url?.startsWith('/events/')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const { entries } = JSON.parse(Buffer.concat(chunks).toString()) as Delivery;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    setTimeout(() => {
      inFlight--;
      if (measuring) {
        sizes.push(entries.length);
        const now = Date.now();
        for (const e of entries) latencies.push(now - e.event.data.sentAt);
      }
      res.end(JSON.stringify({ statuses: entries.map((e) => ({ entryId: e.entryId, status: 'SUCCESS' })) }));
    }, APP_MS);
  });
});
await new Promise<void>((resolve) => app.listen(appPort, '127.0.0.1', resolve));

// The operator's pubsub metadata on a broker without TLS or authentication.
const component = (name: string) => ({
  apiVersion: 'dapr.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: {
    type: 'pubsub.kafka',
    version: 'v1',
    metadata: [
      { name: 'brokers', value: kafka.brokers.join(',') },
      { name: 'consumerGroup', value: `${prefix}-group` },
      { name: 'initialOffset', value: 'oldest' },
      { name: 'authType', value: 'none' },
      { name: 'disableTls', value: 'true' },
    ],
  },
});
const names = [...new Set(Object.keys(topics).map(pubsubOf))];
const dapr = await startSidecarWithScheduler({
  dirPrefix: 'delivery-dapr',
  sidecar: { appId: 'delivery', appPort, waitForApp: false },
  writeResources: (path, dir) =>
    writeStandaloneResources(path, names.map(component), join(dir, 'secrets.json'), {}),
});

const producer = kafkaClient({ brokers: kafka.brokers }, { retries: 2 }).producer({ idempotent: true });
try {
  await dapr.sidecar.appConnected();
  await producer.connect();
  const record = (sentAt: number) => {
    const task = randomUUID();
    const event = { specversion: '1.0', id: randomUUID(), source: 'delivery', type: 'todo.task.created' };
    const data = { sentAt, title: 'x'.repeat(600) };
    return {
      key: task,
      value: JSON.stringify({ ...event, subject: task, datacontenttype: 'application/json', data }),
    };
  };
  // Every 10 ms, RATE/100 records, half on each busy topic.
  const produce = async (seconds: number) => {
    const t0 = Date.now();
    const sends: Promise<unknown>[] = [];
    for (let tick = 0; tick < seconds * 100; tick++) {
      const wait = t0 + tick * 10 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const half = Array.from({ length: RATE / 200 }, () => Date.now());
      sends.push(
        producer.sendBatch({
          acks: -1,
          topicMessages: [
            { topic: topics.tasks, messages: half.map(record) },
            { topic: topics.updates, messages: half.map(record) },
          ],
        }),
      );
    }
    await Promise.all(sends);
  };
  // Warm-up, not measured: the group's join, the JITs.
  await produce(5);
  await new Promise((r) => setTimeout(r, 2000));
  measuring = true;
  await produce(SECONDS);
  const expected = RATE * SECONDS;
  const deadline = Date.now() + 60_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const p = percentiles(latencies);
  const s = percentiles(sizes);
  console.log(
    `${PER_TOPIC ? 'a component per topic' : 'one component'}, app answers in ${APP_MS} ms, maxAwaitDurationMs ${AWAIT_MS}: ` +
      `${latencies.length}/${expected} delivered; latency p50 ${fmt(p.p50, 0)}, p95 ${fmt(p.p95, 0)}, p99 ${fmt(p.p99, 0)} ms; ` +
      `${fmt(sizes.length / SECONDS, 0)} deliveries/s of p50 ${s.p50}, p95 ${s.p95} records; at most ${maxInFlight} in flight`,
  );
} finally {
  await producer.disconnect();
  await dapr.stop();
  app.close();
  await kafka.stop();
}
process.exit(0);
