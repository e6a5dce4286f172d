/** The tenant's Kafka topics through the kafkajs admin client: created, grown, never shrunk, deleted on request. */
import { Kafka, logLevel } from 'kafkajs';
import type { TodoAppSpec } from '../crd/todoapp.js';

/** The suffixes the API publishes to; they mirror api/src/events/topics.ts (a test keeps the two in step). */
export const TOPIC_SUFFIXES = ['task-events', 'reminders', 'task-updates'] as const;

export const topicNames = (prefix: string): string[] => TOPIC_SUFFIXES.map((s) => `${prefix}.${s}`);

export interface TopicState {
  name: string;
  partitions: number;
}

/** What the reconciler needs from Kafka; a small interface so the edge stays thin. */
export interface TopicAdmin {
  ensure(kafka: TodoAppSpec['kafka']): Promise<TopicState[]>;
  remove(kafka: TodoAppSpec['kafka']): Promise<void>;
  close(): Promise<void>;
}

/** Raised when brokers cannot be reached or refuse a request; the message names the cause. */
export class TopicsUnavailableError extends Error {
  override readonly name = 'TopicsUnavailableError';
}

type Admin = ReturnType<Kafka['admin']>;

/** The protocol error name of a kafkajs error, looking through its retry wrappers. */
function kafkaErrorType(err: unknown): string | undefined {
  const e = err as { type?: string; originalError?: unknown; cause?: unknown } | undefined;
  return (
    e?.type ??
    (e?.originalError ? kafkaErrorType(e.originalError) : undefined) ??
    (e?.cause ? kafkaErrorType(e.cause) : undefined)
  );
}

const TRANSIENT = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Metadata of fresh topics lags their creation by a moment (unknown topic, or partitions without a leader yet);
 * ask again briefly before giving up, so TopicsReady means the topics are usable.
 */
async function settledMetadata(admin: Admin, names: string[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.every((t) => t.partitions.every((p) => p.leader >= 0)) || attempt >= 40) return topics;
    } catch (err) {
      if (attempt >= 40 || !TRANSIENT.has(kafkaErrorType(err) ?? '')) throw err;
    }
    await new Promise((r) => setTimeout(r, Math.min(500, 25 * attempt)));
  }
}

export class KafkaTopicAdmin implements TopicAdmin {
  private readonly admins = new Map<string, Promise<Admin>>();
  private readonly ensured = new Map<string, { at: number; state: TopicState[] }>();

  constructor(private readonly freshForMs = 30_000) {}

  private admin(brokers: string[]): Promise<Admin> {
    const key = [...brokers].sort().join(',');
    let admin = this.admins.get(key);
    if (!admin) {
      const kafka = new Kafka({
        clientId: 'todo-operator',
        brokers,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        requestTimeout: 15_000,
        // The work queue does the retrying with backoff; kafkajs should fail fast and say why.
        retry: { retries: 1, initialRetryTime: 200 },
      });
      const a = kafka.admin();
      admin = a.connect().then(() => a);
      admin.catch(() => this.admins.delete(key));
      this.admins.set(key, admin);
    }
    return admin;
  }

  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * One admin operation at a time per cluster: kafkajs refreshes metadata for every topic any pending call named,
   * so concurrent creations fail each other with UNKNOWN_TOPIC_OR_PARTITION.
   */
  private call<T>(brokers: string[], what: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
    const key = [...brokers].sort().join(',');
    const run = (this.tails.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.callNow(brokers, what, fn));
    this.tails.set(key, run);
    return run;
  }

  private async callNow<T>(brokers: string[], what: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.admin(brokers));
    } catch (err) {
      const key = [...brokers].sort().join(',');
      const cached = this.admins.get(key);
      this.admins.delete(key);
      cached?.then((a) => a.disconnect()).catch(() => undefined);
      throw new TopicsUnavailableError(`${what} on ${brokers.join(',')} failed: ${(err as Error).message}`);
    }
  }

  /**
   * Creates missing topics and grows short ones. A result is trusted for `freshForMs`: children's watch events
   * re-run a reconcile several times in a row, and each need not ask Kafka again; resyncs check again.
   */
  async ensure(kafka: TodoAppSpec['kafka']): Promise<TopicState[]> {
    const key = JSON.stringify([
      [...kafka.brokers].sort(),
      kafka.topicPrefix,
      kafka.partitions,
      kafka.replicationFactor,
    ]);
    const cached = this.ensured.get(key);
    if (cached && Date.now() - cached.at < this.freshForMs) return cached.state;
    const names = topicNames(kafka.topicPrefix);
    const state = await this.call(kafka.brokers, 'ensuring topics', async (admin) => {
      // Creating all three is cheaper than listing every topic of the cluster; existing ones are skipped.
      // kafkajs's own wait for leaders gives up on UNKNOWN_TOPIC_OR_PARTITION; settledMetadata waits instead.
      await admin.createTopics({
        waitForLeaders: false,
        topics: names.map((topic) => ({
          topic,
          numPartitions: kafka.partitions,
          replicationFactor: kafka.replicationFactor,
        })),
      });
      const topics = await settledMetadata(admin, names);
      const grow = topics.filter((t) => t.partitions.length < kafka.partitions);
      if (grow.length) {
        await admin.createPartitions({
          topicPartitions: grow.map((t) => ({ topic: t.name, count: kafka.partitions })),
        });
      }
      // Sorted: metadata comes back in any order, and an unstable status would be rewritten on every pass.
      return topics
        .map((t) => ({ name: t.name, partitions: Math.max(t.partitions.length, kafka.partitions) }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
    this.ensured.set(key, { at: Date.now(), state });
    return state;
  }

  async remove(kafka: TodoAppSpec['kafka']): Promise<void> {
    this.ensured.clear();
    const names = topicNames(kafka.topicPrefix);
    await this.call(kafka.brokers, 'deleting topics', async (admin) => {
      const existing = new Set(await admin.listTopics());
      const present = names.filter((n) => existing.has(n));
      if (present.length) await admin.deleteTopics({ topics: present });
    });
  }

  async close(): Promise<void> {
    const admins = [...this.admins.values()];
    this.admins.clear();
    await Promise.all(admins.map((a) => a.then((x) => x.disconnect()).catch(() => undefined)));
  }
}
