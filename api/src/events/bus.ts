import type { CloudEvent } from '@todo/contract';

/** One record for the bus: a CloudEvent bound for a topic, keyed (partitioned) by task id. */
export interface OutboundMessage {
  topic: string;
  key: string;
  event: CloudEvent;
}

/** Delivers batches in order; rejects when the bus is unavailable so the relay can back off and retry. */
export interface EventPublisher {
  publish(messages: readonly OutboundMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** What a consumer decided about one event, mirroring Dapr's SUCCESS / RETRY / DROP contract. */
export type HandleResult = 'success' | 'retry' | 'drop';

/**
 * Takes one event; may also take a batch (`batch`), answering per event in order, so a bus that receives
 * many records at once can apply them in one database transaction.
 */
export interface EventHandler {
  (event: CloudEvent): Promise<HandleResult>;
  batch?: (events: readonly CloudEvent[]) => Promise<HandleResult[]>;
}

/** Runs handlers for topics as one consumer group; each event is handed over at least once. */
export interface EventSubscriber {
  subscribe(topic: string, handler: EventHandler): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Hands events to a handler in order: as one batch when it takes batches, else one at a time. */
export async function handleAll(
  handler: EventHandler,
  events: readonly CloudEvent[],
): Promise<HandleResult[]> {
  if (handler.batch) return handler.batch(events);
  const results: HandleResult[] = [];
  for (const event of events) results.push(await handler(event));
  return results;
}

/** Items grouped by a key, each group in the order given (Map.groupBy, which Node 20 lacks). */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}
