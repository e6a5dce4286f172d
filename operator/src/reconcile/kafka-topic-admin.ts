/**
 * TopicAdmin on kafkajs. Requests from concurrent reconciles are batched: while the admin clients ("lanes") are
 * busy, waiting requests pile up and go to the broker as one CreateTopics and one metadata call, because the
 * broker's cost is per request far more than per topic. Each lane does one operation at a time: kafkajs refreshes
 * metadata for every topic any pending call on a client named, so concurrent calls on one client fail each other.
 */
import { createHash } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { TodoAppSpec } from '../crd/todoapp.js';
import { kafkaAuthConfig } from './kafka-client-config.js';
import { readConsumerLag } from './kafka-consumer-lag.js';
import { carryOver } from './kafka-offset-carry-over.js';
import {
  type CarriedOffsets,
  type ConsumerGroupLag,
  type ConsumerGroupQuery,
  type GroupMove,
  type KafkaAuth,
  type TopicAdmin,
  type TopicState,
  TopicsAuthenticationError,
  TopicsRejectedError,
  TopicsUnavailableError,
  topicNames,
} from './topics.js';

type Admin = ReturnType<Kafka['admin']>;
type KafkaSpec = TodoAppSpec['kafka'];

interface Waiting {
  spec: KafkaSpec;
  resolve: (state: TopicState[]) => void;
  reject: (err: Error) => void;
}

/** One set of brokers as one set of credentials reaches them: clients and batches are never shared across. */
interface Cluster {
  brokers: string[];
  auth: KafkaAuth;
  idle: { admin: Promise<Admin> | undefined }[];
  waiting: Waiting[];
}

const MAX_BATCH = 50;
const TRANSIENT = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

interface KafkaError {
  type?: string;
  topic?: string;
  message: string;
  errors?: KafkaError[];
  originalError?: unknown;
  cause?: unknown;
}

/** A digest of the credentials, so a key can tell two of them apart without holding a password. */
const fingerprint = (auth: KafkaAuth) => createHash('sha256').update(JSON.stringify(auth)).digest('hex');

/** kafkajs's SASL refusal, wherever its retry wrappers put it. */
function isAuthenticationFailure(err: unknown): boolean {
  for (let e = err as KafkaError | undefined, depth = 0; e && depth < 10; depth++) {
    if ((e as { name?: string }).name === 'KafkaJSSASLAuthenticationError') return true;
    e = (e.originalError ?? e.cause) as KafkaError | undefined;
  }
  return false;
}

/** Follows kafkajs's retry wrappers to the error that says what happened. */
function innermost(err: unknown): KafkaError | undefined {
  const e = err as KafkaError | undefined;
  if (!e) return undefined;
  if (e.type || e.errors) return e;
  return innermost(e.originalError) ?? innermost(e.cause) ?? e;
}

/** Metadata of fresh topics lags their creation; poll briefly until every partition has a leader. */
async function settledMetadata(admin: Admin, names: string[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.every((t) => t.partitions.every((p) => p.leader >= 0)) || attempt >= 40) return topics;
    } catch (err) {
      if (attempt >= 40 || !TRANSIENT.has(innermost(err)?.type ?? '')) throw err;
    }
    await new Promise((r) => setTimeout(r, Math.min(500, 25 * attempt)));
  }
}

/** One CreateTopics for the whole batch; returns the topics the broker refused, with its reason. */
async function createAll(admin: Admin, specs: KafkaSpec[]): Promise<Map<string, string>> {
  const topics = new Map<string, { topic: string; numPartitions: number; replicationFactor: number }>();
  for (const s of specs) {
    for (const topic of topicNames(s.topicPrefix))
      topics.set(topic, { topic, numPartitions: s.partitions, replicationFactor: s.replicationFactor });
  }
  const refused = new Map<string, string>();
  try {
    await admin.createTopics({ waitForLeaders: false, topics: [...topics.values()] });
  } catch (err) {
    const errors = innermost(err)?.errors;
    if (!errors) throw err;
    for (const e of errors) if (e.type !== 'TOPIC_ALREADY_EXISTS' && e.topic) refused.set(e.topic, e.message);
  }
  return refused;
}

/** Ensures a batch of tenants' topics; one result (state or error) per spec, in order. */
async function ensureBatch(admin: Admin, specs: KafkaSpec[]): Promise<(TopicState[] | Error)[]> {
  const refused = await createAll(admin, specs);
  const usable = specs.filter((s) => topicNames(s.topicPrefix).every((n) => !refused.has(n)));
  const metadata = usable.length
    ? await settledMetadata(
        admin,
        usable.flatMap((s) => topicNames(s.topicPrefix)),
      )
    : [];
  const partitions = new Map(metadata.map((t) => [t.name, t.partitions.length]));
  const grow = usable.flatMap((s) =>
    topicNames(s.topicPrefix)
      .filter((n) => (partitions.get(n) ?? 0) < s.partitions)
      .map((topic) => ({ topic, count: s.partitions })),
  );
  if (grow.length) await admin.createPartitions({ topicPartitions: grow });
  return specs.map((s) => {
    const names = topicNames(s.topicPrefix);
    const bad = names.find((n) => refused.has(n));
    if (bad) return new TopicsRejectedError(`Kafka refused topic ${bad}: ${refused.get(bad)}`);
    // Sorted: a stable status is not rewritten on every pass.
    return names
      .map((name) => ({ name, partitions: Math.max(partitions.get(name) ?? 0, s.partitions) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

export class KafkaTopicAdmin implements TopicAdmin {
  private readonly clusters = new Map<string, Cluster>();
  private readonly ensured = new Map<string, { at: number; state: TopicState[] }>();

  /**
   * A result is trusted for `freshForMs`: children's watch events re-run a reconcile several times in a row and
   * each need not ask Kafka again; the periodic resync checks again.
   */
  constructor(
    private readonly freshForMs = 30_000,
    private readonly lanes = 4,
  ) {}

  ensure(spec: KafkaSpec, auth: KafkaAuth = {}): Promise<TopicState[]> {
    const key = JSON.stringify([
      [...spec.brokers].sort(),
      spec.topicPrefix,
      spec.partitions,
      spec.replicationFactor,
      fingerprint(auth),
    ]);
    const cached = this.ensured.get(key);
    if (cached && Date.now() - cached.at < this.freshForMs) return Promise.resolve(cached.state);
    return new Promise<TopicState[]>((resolve, reject) => {
      const cluster = this.cluster(spec.brokers, auth);
      cluster.waiting.push({ spec, resolve, reject });
      this.pump(cluster);
    }).then((state) => {
      this.ensured.set(key, { at: Date.now(), state });
      return state;
    });
  }

  /** One move after the other on one lane: kafkajs's setOffsets runs a consumer of the admin's cluster. */
  carryOverOffsets(spec: KafkaSpec, auth: KafkaAuth, moves: GroupMove[]): Promise<CarriedOffsets[]> {
    return this.onLane(this.cluster(spec.brokers, auth), 'carrying consumer offsets over', async (admin) => {
      const results: CarriedOffsets[] = [];
      for (const move of moves) results.push(await carryOver(admin, move));
      return results;
    });
  }

  /** On one lane, like any other request: the watchdog asks one tenant at a time, so reconciles keep the rest. */
  consumerLag(spec: KafkaSpec, auth: KafkaAuth, groups: ConsumerGroupQuery[]): Promise<ConsumerGroupLag[]> {
    return this.onLane(this.cluster(spec.brokers, auth), 'reading consumer offsets', (admin) =>
      readConsumerLag(admin, groups),
    );
  }

  async remove(spec: KafkaSpec, auth: KafkaAuth = {}): Promise<void> {
    this.ensured.clear();
    const names = topicNames(spec.topicPrefix);
    await this.onLane(this.cluster(spec.brokers, auth), 'deleting topics', async (admin) => {
      const existing = new Set(await admin.listTopics());
      const present = names.filter((n) => existing.has(n));
      if (present.length) await admin.deleteTopics({ topics: present });
    });
  }

  async close(): Promise<void> {
    const admins = [...this.clusters.values()].flatMap((c) => c.idle.map((l) => l.admin));
    this.clusters.clear();
    await Promise.all(admins.map((a) => a?.then((x) => x.disconnect()).catch(() => undefined)));
  }

  private cluster(brokers: string[], auth: KafkaAuth): Cluster {
    const key = `${[...brokers].sort().join(',')} ${fingerprint(auth)}`;
    let cluster = this.clusters.get(key);
    if (!cluster) {
      cluster = {
        brokers,
        auth,
        idle: Array.from({ length: this.lanes }, () => ({ admin: undefined })),
        waiting: [],
      };
      this.clusters.set(key, cluster);
    }
    return cluster;
  }

  /** Sends waiting requests in batches while lanes are free. */
  private pump(cluster: Cluster): void {
    while (cluster.idle.length && cluster.waiting.length) {
      const batch = cluster.waiting.splice(0, MAX_BATCH);
      this.onLane(cluster, 'ensuring topics', (admin) =>
        ensureBatch(
          admin,
          batch.map((w) => w.spec),
        ),
      ).then(
        (results) => {
          for (const [i, w] of batch.entries()) {
            const result = results[i];
            if (result instanceof Error || !result) w.reject(result ?? new Error('no result'));
            else w.resolve(result);
          }
        },
        (err: Error) => {
          for (const w of batch) w.reject(err);
        },
      );
    }
  }

  /** Runs `fn` on an idle lane (the caller checked there is one, or it waits for one). */
  private async onLane<T>(cluster: Cluster, what: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
    while (!cluster.idle.length) await new Promise((r) => setTimeout(r, 10));
    const lane = cluster.idle.pop() as { admin: Promise<Admin> | undefined };
    try {
      lane.admin ??= connect(cluster.brokers, cluster.auth);
      return await fn(await lane.admin);
    } catch (err) {
      // A fresh client next time: the failure may have been the connection itself.
      lane.admin?.then((a) => a.disconnect()).catch(() => undefined);
      lane.admin = undefined;
      if (err instanceof TopicsRejectedError) throw err;
      const failed = `${what} on ${cluster.brokers.join(',')} failed: ${(err as Error).message}`;
      if (isAuthenticationFailure(err)) throw new TopicsAuthenticationError(failed);
      throw new TopicsUnavailableError(failed);
    } finally {
      cluster.idle.push(lane);
      this.pump(cluster);
    }
  }
}

function connect(brokers: string[], auth: KafkaAuth): Promise<Admin> {
  const admin = new Kafka({
    clientId: 'todo-operator',
    brokers,
    ...kafkaAuthConfig(auth),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 15_000,
    // The work queue does the retrying with backoff; kafkajs should fail fast and say why.
    retry: { retries: 1, initialRetryTime: 200 },
  }).admin();
  return admin.connect().then(() => admin);
}
