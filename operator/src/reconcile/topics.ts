/** The tenant's Kafka topics: their names, and the small interface the reconciler uses to manage them. */
import { allTopicNames } from '@todo/contract';
import type { TodoAppSpec } from '../crd/todoapp.js';

/** The tenant's topics: the contract's names under the TodoApp's `kafka.topicPrefix`. */
export const topicNames = (prefix: string): string[] => allTopicNames(prefix);

export interface TopicState {
  name: string;
  partitions: number;
}

/** Created with the spec's partitions and replication factor, grown when the spec grows, never shrunk. */
export interface TopicAdmin {
  ensure(kafka: TodoAppSpec['kafka']): Promise<TopicState[]>;
  remove(kafka: TodoAppSpec['kafka']): Promise<void>;
  close(): Promise<void>;
}

/** The brokers cannot be reached or did not answer; the message names the brokers and the cause. */
export class TopicsUnavailableError extends Error {
  override readonly name = 'TopicsUnavailableError';
}

/** The brokers refused this tenant's topics (e.g. a replication factor above the broker count). */
export class TopicsRejectedError extends Error {
  override readonly name = 'TopicsRejectedError';
}
