/** The tenant's Kafka topics: their names, and the small interface the reconciler uses to manage them. */
import { allTopicNames } from '@todo/contract';
import type { KAFKA_SASL_MECHANISMS, TodoAppSpec } from '../crd/todoapp.js';

/** The tenant's topics: the contract's names under the TodoApp's `kafka.topicPrefix`. */
export const topicNames = (prefix: string): string[] => allTopicNames(prefix);

export interface TopicState {
  name: string;
  partitions: number;
}

/**
 * How the operator signs in to a tenant's brokers: the TodoApp's `kafka.tls` and `kafka.sasl` with the values
 * read from their Secrets (resolve-kafka-auth.ts). Empty: plaintext, no authentication.
 */
export interface KafkaAuth {
  /** TLS on; `ca` is the PEM CA of the brokers' certificates (the system roots when absent). */
  tls?: { ca?: string };
  sasl?: { mechanism: (typeof KAFKA_SASL_MECHANISMS)[number]; username: string; password: string };
}

/** A pubsub component's sidecars about to consume its topics in consumer group `to` instead of `from`. */
export interface GroupMove {
  component: string;
  from: string;
  to: string;
  topics: string[];
}

/**
 * What carrying a move's committed offsets over did: `carried` set `partitions` offsets of `to` to those of
 * `from`; `active` (`to` has members), `committed` (`to` has offsets of its own) and `nothing` (`from` committed
 * none for the topics, e.g. a new tenant) left `to` alone.
 */
export interface CarriedOffsets {
  move: GroupMove;
  outcome: 'carried' | 'active' | 'committed' | 'nothing';
  partitions: number;
}

/** A consumer group and the topics its members consume. */
export interface ConsumerGroupQuery {
  groupId: string;
  topics: string[];
}

/** One partition as a group sees it: `committed` is -1 when the group committed nothing there. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  committed: number;
  /** The partition's low watermark: where a group with nothing committed (and initialOffset oldest) starts. */
  start: number;
  /** The log end (high watermark): the offset the next record gets. */
  end: number;
}

/** A group's offsets on its topics, and its state (`Stable`, `PreparingRebalance`, `Empty`, `Dead` …) and members. */
export interface ConsumerGroupLag {
  groupId: string;
  state: string;
  members: number;
  partitions: PartitionOffsets[];
}

/** Created with the spec's partitions and replication factor, grown when the spec grows, never shrunk. */
export interface TopicAdmin {
  ensure(kafka: TodoAppSpec['kafka'], auth?: KafkaAuth): Promise<TopicState[]>;
  /** Gives each move's new group the offsets its old group committed, unless the new group has its own or members. */
  carryOverOffsets(
    kafka: TodoAppSpec['kafka'],
    auth: KafkaAuth,
    moves: GroupMove[],
  ): Promise<CarriedOffsets[]>;
  remove(kafka: TodoAppSpec['kafka'], auth?: KafkaAuth): Promise<void>;
  /** Each group's committed and end offsets on its topics, with its state and member count (the consumer watchdog). */
  consumerLag(
    kafka: TodoAppSpec['kafka'],
    auth: KafkaAuth,
    groups: ConsumerGroupQuery[],
  ): Promise<ConsumerGroupLag[]>;
  close(): Promise<void>;
}

/** The brokers cannot be reached or did not answer; the message names the brokers and the cause. */
export class TopicsUnavailableError extends Error {
  override readonly name = 'TopicsUnavailableError';
}

/** The brokers refused the tenant's SASL credentials (wrong user, password or mechanism). */
export class TopicsAuthenticationError extends Error {
  override readonly name = 'TopicsAuthenticationError';
}

/** The brokers refused this tenant's topics (e.g. a replication factor above the broker count). */
export class TopicsRejectedError extends Error {
  override readonly name = 'TopicsRejectedError';
}
