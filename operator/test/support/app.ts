/** A fully defaulted TodoApp, as the reconciler receives it, for tests of the pure functions. */
import type { TodoApp, TodoAppSpec } from '../../src/crd/todoapp.js';

type SpecOverrides = Partial<Omit<TodoAppSpec, 'kafka' | 'dapr'>> & {
  kafka?: Partial<TodoAppSpec['kafka']>;
  dapr?: Partial<TodoAppSpec['dapr']>;
};

export function todoApp(name = 'acme', spec: SpecOverrides = {}, namespace = 'tenants'): TodoApp {
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
