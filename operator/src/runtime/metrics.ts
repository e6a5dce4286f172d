/** Prometheus metrics of the operator, on a registry of its own so several instances can share a process in tests. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface OperatorMetrics {
  registry: Registry;
  reconciles: Counter<'result'>;
  reconcileErrors: Counter<'error'>;
  reconcileDuration: Histogram<string>;
  queueDepth: Gauge<string>;
  queueLatency: Histogram<string>;
  leader: Gauge<string>;
  kubeRequests: Counter<'kind'>;
  consumerLag: Gauge<'namespace' | 'todoapp' | 'group'>;
  consumerStalledPartitions: Gauge<'namespace' | 'todoapp' | 'group'>;
  consumerRestarts: Counter<'namespace' | 'todoapp'>;
  consumerChecks: Counter<string>;
}

export function createMetrics(withDefaults = true): OperatorMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reconciles: new Counter({
      name: 'todo_operator_reconciles_total',
      help: 'Reconciles by result',
      labelNames: ['result'],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'todo_operator_reconcile_errors_total',
      help: 'Failed reconciles by error kind',
      labelNames: ['error'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'todo_operator_reconcile_duration_seconds',
      help: 'Time spent in one reconcile',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'todo_operator_queue_depth',
      help: 'Keys waiting in the work queue',
      registers,
    }),
    queueLatency: new Histogram({
      name: 'todo_operator_queue_latency_seconds',
      help: 'Time a key waited in the queue before a worker took it',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
    leader: new Gauge({
      name: 'todo_operator_leader',
      help: '1 while this instance holds the leader lease',
      registers,
    }),
    kubeRequests: new Counter({
      name: 'todo_operator_kube_requests_total',
      help: 'Kubernetes API requests of the controller (lease traffic excluded) by kind: read or write',
      labelNames: ['kind'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'todo_operator_consumer_lag',
      help: 'Records after the committed offsets of a tenant consumer group, over its partitions, at the last check',
      labelNames: ['namespace', 'todoapp', 'group'],
      registers,
    }),
    consumerStalledPartitions: new Gauge({
      name: 'todo_operator_consumer_stalled_partitions',
      help: 'Partitions of a tenant consumer group whose committed offset stayed behind for the stall time while the group had members',
      labelNames: ['namespace', 'todoapp', 'group'],
      registers,
    }),
    consumerRestarts: new Counter({
      name: 'todo_operator_consumer_restarts_total',
      help: 'Restarts of a tenant API Deployment by the consumer watchdog',
      labelNames: ['namespace', 'todoapp'],
      registers,
    }),
    consumerChecks: new Counter({
      name: 'todo_operator_consumer_checks_total',
      help: 'Completed rounds of the consumer watchdog over every Dapr-enabled TodoApp',
      registers,
    }),
  };
}
