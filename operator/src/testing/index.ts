/**
 * What other workspaces' tests and benches share from the operator, imported as `@todo/operator/testing`:
 * a TodoApp as the reconciler receives it, to render with `@todo/operator/desired`.
 */
import type { TodoApp, TodoAppSpec } from '../crd/todoapp.js';

export type TodoAppSpecOverrides = Partial<Omit<TodoAppSpec, 'kafka' | 'dapr'>> & {
  kafka?: Partial<TodoAppSpec['kafka']>;
  dapr?: Partial<TodoAppSpec['dapr']>;
};

/** A TodoApp with every field the API server defaults filled in, as the reconciler receives it; `spec` overrides. */
export function defaultedTodoApp(
  name = 'acme',
  spec: TodoAppSpecOverrides = {},
  namespace = 'tenants',
): TodoApp {
  const { kafka, dapr, ...rest } = spec;
  return {
    apiVersion: 'tenancy.todo.dev/v1alpha1',
    kind: 'TodoApp',
    metadata: { name, namespace, uid: `uid-${name}`, generation: 1, resourceVersion: '1' },
    spec: {
      image: 'ghcr.io/owner/todo-api:1.0.0',
      replicas: 1,
      database: { secretRef: { name: `${name}-db`, key: 'url' } },
      reminders: { backend: 'database' },
      deletionPolicy: 'Retain',
      ...rest,
      kafka: { brokers: ['kafka:9092'], topicPrefix: name, partitions: 3, replicationFactor: 1, ...kafka },
      dapr: { enabled: true, logLevel: 'info', ...dapr },
    },
  };
}

// The consumer watchdog's judge and its reading of a tenant's groups, for the end-to-end tests that play the
// watchdog against real sidecars (e2e/test/support/consumer-watch.ts).
export { readConsumerLag } from '../reconcile/kafka-consumer-lag.js';
export type { ConsumerGroupLag } from '../reconcile/topics.js';
export { consumerGroups } from '../watchdog/consumer-watchdog.js';
export { type GroupWatch, judgeGroup, type StalledPartition } from '../watchdog/stall-judge.js';
