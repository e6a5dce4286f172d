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

export class KafkaTopicAdmin implements TopicAdmin {
  private readonly admins = new Map<string, Promise<Admin>>();

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

  private async call<T>(brokers: string[], what: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
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

  async ensure(kafka: TodoAppSpec['kafka']): Promise<TopicState[]> {
    const names = topicNames(kafka.topicPrefix);
    return this.call(kafka.brokers, 'ensuring topics', async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = names.filter((n) => !existing.has(n));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: kafka.partitions,
            replicationFactor: kafka.replicationFactor,
          })),
        });
      }
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const grow = topics.filter((t) => t.partitions.length < kafka.partitions);
      if (grow.length) {
        await admin.createPartitions({
          topicPartitions: grow.map((t) => ({ topic: t.name, count: kafka.partitions })),
        });
      }
      return topics.map((t) => ({
        name: t.name,
        partitions: Math.max(t.partitions.length, kafka.partitions),
      }));
    });
  }

  async remove(kafka: TodoAppSpec['kafka']): Promise<void> {
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
