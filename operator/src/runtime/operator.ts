/**
 * Assembles the operator: clients, metrics, the controller, leader election and the HTTP endpoints.
 * `main.ts` runs one from the environment; tests run several in one process.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { TodoAppController } from '../controller/controller.js';
import { GROUP, VERSION } from '../crd/todoapp.js';
import { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import type { ClusterAccess } from '../kube/kubeconfig.js';
import { type ManagedDatabase, PostgresManagedDatabase } from '../reconcile/database.js';
import { type EventRecorder, KubeEventRecorder } from '../reconcile/events.js';
import { KafkaTopicAdmin } from '../reconcile/kafka-topic-admin.js';
import { reconcileTodoApp } from '../reconcile/reconciler.js';
import type { TopicAdmin } from '../reconcile/topics.js';
import { ConsumerWatchdog, kafkaLagSource, restartDeployment } from '../watchdog/consumer-watchdog.js';
import type { OperatorConfig } from './config.js';
import { startHttpServer } from './http.js';
import { LeaderElector } from './leader.js';
import { createMetrics, type OperatorMetrics } from './metrics.js';

export const LEASE_NAME = 'todo-operator-leader';

/** Raised when the TodoApp CRD is not served; the message says how to install it. */
export class CrdNotInstalledError extends Error {
  override readonly name = 'CrdNotInstalledError';
}

export interface RunningOperator {
  readonly client: KubeClient;
  readonly metrics: OperatorMetrics;
  readonly http: Server;
  isLeader(): boolean;
  controller(): TodoAppController | undefined;
  /**
   * Resolves when this instance loses the lease it held. Its controller has stopped by then; the process must
   * exit (main.ts does, non-zero) so it restarts as a standby with fresh caches, as controller-runtime's do.
   */
  readonly leadershipLost: Promise<void>;
  /** Stops the operator; `releaseLease: false` leaves the lease to expire, as a crash would. */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

/** Discovery is open to every authenticated user, so this check needs no extra RBAC. */
export async function checkCrdInstalled(client: KubeClient): Promise<void> {
  try {
    await client.get(`/apis/${GROUP}/${VERSION}`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new CrdNotInstalledError(
      `the TodoApp CRD (${GROUP}/${VERSION}) is not installed: kubectl apply -f crds/todoapps.tenancy.todo.dev.yaml`,
    );
  }
}

/** Never lets a failed Event block or fail a reconcile: Events are informational. */
function tolerantRecorder(inner: EventRecorder, log: Logger): EventRecorder {
  return {
    record: (app, type, reason, message) =>
      inner
        .record(app, type, reason, message)
        .catch((err: unknown) => log.warn({ err: (err as Error).message, reason }, 'event not recorded')),
  };
}

export async function startOperator(
  access: ClusterAccess,
  config: OperatorConfig,
  log: Logger,
  deps: { topics?: TopicAdmin } = {},
): Promise<RunningOperator> {
  const client = KubeClient.fromAccess(access, config.kubeRateLimit);
  await checkCrdInstalled(client);
  const metrics = createMetrics();
  client.onRequest = (kind) => metrics.kubeRequests.inc({ kind });
  const topics = deps.topics ?? new KafkaTopicAdmin();
  const databases: ManagedDatabase | undefined = config.databaseUrl
    ? new PostgresManagedDatabase(config.databaseUrl)
    : undefined;
  const events = tolerantRecorder(new KubeEventRecorder(client, config.identity), log);
  let controller: TodoAppController | undefined;
  let watchdog: ConsumerWatchdog | undefined;

  const lead = () => {
    log.info({ identity: config.identity }, 'leading: starting controller');
    metrics.leader.set(1);
    const c: TodoAppController = new TodoAppController(
      client,
      (app) => reconcileTodoApp(app, { client, lookup: c.lookup, topics, databases, events }),
      { workers: config.workers, resyncMs: config.resyncMs },
      log,
      metrics,
    );
    controller = c;
    c.start();
    if (config.consumerWatchdog.stallMs > 0) {
      // Reads the controller's caches, and the tenants' Kafka through the topic admin's clients.
      watchdog = new ConsumerWatchdog(config.consumerWatchdog, {
        apps: () => c.todoApps.list(),
        deployment: (namespace, name) => c.lookup('deployment', namespace, name),
        lag: kafkaLagSource(topics, client),
        restart: (app, name, at) => restartDeployment(client, app.metadata.namespace, name, at),
        events,
        metrics,
        log,
      });
      watchdog.start();
    }
  };
  const unlead = async () => {
    metrics.leader.set(0);
    const c = controller;
    const w = watchdog;
    controller = undefined;
    watchdog = undefined;
    await Promise.all([w?.stop(), c?.stop()]);
  };

  let signalLost!: () => void;
  const leadershipLost = new Promise<void>((resolve) => {
    signalLost = resolve;
  });
  // Lease traffic goes through its own client: request counts of the controller stay about reconciling, and a
  // renewal never waits behind the reconciles for a rate-limit token.
  const elector = config.leaderElection
    ? new LeaderElector(
        KubeClient.fromAccess(access),
        {
          namespace: config.leaseNamespace ?? access.namespace,
          name: LEASE_NAME,
          identity: config.identity,
          leaseDurationMs: 15_000,
          renewMs: 2_000,
          renewDeadlineMs: 10_000,
          retryMs: 2_000,
        },
        {
          onStartedLeading: () => void lead(),
          onStoppedLeading: () => {
            log.error('lost the leader lease: stopping the controller');
            // Another instance may lead already: stop campaigning, and never touch the lease again.
            void Promise.all([elector?.stop(false), unlead()]).then(signalLost);
          },
        },
      )
    : undefined;
  if (elector) elector.start();
  else lead();

  const http = await startHttpServer(
    config.httpPort,
    metrics.registry,
    // A standby is ready (it serves nothing but waits its turn); a leader once every cache has synced.
    () => (elector !== undefined && !elector.isLeader) || (controller?.synced ?? false),
  );
  return {
    client,
    metrics,
    http,
    isLeader: () => (elector ? elector.isLeader : true),
    controller: () => controller,
    leadershipLost,
    async stop(opts = {}) {
      await elector?.stop(opts.releaseLease ?? true);
      await unlead();
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
      if (!deps.topics) await topics.close();
      await databases?.close();
    },
  };
}
