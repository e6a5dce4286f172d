/**
 * Which consumer groups a reconcile moves a tenant's pubsub components to, and what to say once their committed
 * offsets were carried over (pure: table-tested; the Kafka side is kafka-offset-carry-over.ts). A component given a
 * new group (one group per component replaced one per tenant) would otherwise start it at `initialOffset: oldest`
 * and have every retained record of its topics delivered again.
 */
import { subscriptionPubsubName, TOPICS, type TopicKey, topicName } from '@todo/contract';
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeObject } from '../kube/client.js';
import { consumerGroupOf, pubsubComponentNames } from './desired/dapr.js';
import { childNames } from './desired/meta.js';
import type { CarriedOffsets, GroupMove } from './topics.js';

/** The topics whose subscriptions go through the pubsub component `component` (the contract's rule). */
export function topicsOfComponent(app: TodoApp, component: string): string[] {
  const pubsub = childNames(app).pubsub;
  return (Object.keys(TOPICS) as TopicKey[])
    .filter((key) => subscriptionPubsubName(pubsub, key) === component)
    .map((key) => topicName(key, app.spec.kafka.topicPrefix));
}

/** The `consumerGroup` a Component in the cluster names, if it names one. */
function consumerGroupIn(component: KubeObject | undefined): string | undefined {
  const items = (component?.spec as { metadata?: { name: string; value?: unknown }[] } | undefined)?.metadata;
  const value = items?.find((m) => m.name === 'consumerGroup')?.value;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A move for each pubsub component that exists in the cluster with another consumer group than the one rendered
 * now: its sidecars committed their offsets there. A component not there yet (a new tenant) or already rendered
 * with its group moves nothing, so a steady state asks Kafka nothing more.
 */
export function consumerGroupMoves(
  app: TodoApp,
  existing: (name: string) => KubeObject | undefined,
): GroupMove[] {
  if (!app.spec.dapr.enabled) return [];
  return pubsubComponentNames(app).flatMap((component) => {
    const from = consumerGroupIn(existing(component));
    const to = consumerGroupOf(app, component);
    return from && from !== to ? [{ component, from, to, topics: topicsOfComponent(app, component) }] : [];
  });
}

/** The message of the Event `ConsumerOffsetsMigrated`, or undefined when no offset was carried over. */
export function carriedOverMessage(results: CarriedOffsets[]): string | undefined {
  const carried = results.filter((r) => r.outcome === 'carried');
  if (!carried.length) return undefined;
  return `Committed offsets carried over to the new consumer groups: ${carried
    .map(
      (r) => `${r.move.to} (${r.partitions} partitions of ${r.move.topics.join(', ')}, from ${r.move.from})`,
    )
    .join('; ')}`;
}
