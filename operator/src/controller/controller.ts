/**
 * Wires informers to the work queue and runs the workers: TodoApps are queued by their own key, owned children
 * by their owner's key, so drift on any child brings its TodoApp back within a watch event.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { KINDS } from '../kube/resources.js';
import type { ChildKind, ChildLookup } from '../reconcile/children.js';
import { MANAGED_BY } from '../reconcile/desired/meta.js';
import { errorPolicy } from '../reconcile/error-policy.js';
import type { ReconcileResult } from '../reconcile/reconciler.js';
import type { OperatorMetrics } from '../runtime/metrics.js';
import { cacheKey, Informer } from './informer.js';
import { DEFAULT_QUEUE_OPTIONS, type QueueOptions, WorkQueue } from './queue.js';

export interface ControllerOptions {
  workers: number;
  resyncMs: number;
  queue?: QueueOptions;
}

export type Reconcile = (app: TodoApp) => Promise<ReconcileResult>;

const CHILD_KINDS: ChildKind[] = [
  'deployment',
  'service',
  'secret',
  'configMap',
  'ingress',
  'httpRoute',
  'daprComponent',
  'daprResiliency',
  'serviceAccount',
  'role',
  'roleBinding',
];

const reconciling = new AsyncLocalStorage<string>();

/**
 * The key (`namespace/name`) of the TodoApp whose reconcile the calling code runs in, or undefined outside one
 * (the watchdog, a cache): lets a request be put to the account of the reconcile that made it.
 */
export const reconcilingKey = (): string | undefined => reconciling.getStore();

export class TodoAppController {
  readonly todoApps: Informer<TodoApp & KubeObject>;
  private readonly children = new Map<ChildKind, Informer<KubeObject>>();
  readonly queue: WorkQueue;
  private readonly running: Promise<void>[] = [];
  /** True once every cache holds a complete list and the workers run. */
  synced = false;
  private stopped = false;

  constructor(
    client: KubeClient,
    private readonly reconcile: Reconcile,
    private readonly options: ControllerOptions,
    private readonly log: Logger,
    private readonly metrics: OperatorMetrics,
  ) {
    this.queue = new WorkQueue(options.queue ?? DEFAULT_QUEUE_OPTIONS);
    const notServed = new Set<string>();
    const onError = (kind: string) => (err: unknown) => {
      // An optional API the cluster lacks (Dapr, Gateway API) is said once, not at every retry.
      if (isNotFound(err)) {
        if (!notServed.has(kind)) log.info({ kind }, 'API not served in this cluster; retrying quietly');
        notServed.add(kind);
        return;
      }
      log.warn({ kind, err: (err as Error).message }, 'list/watch failed; retrying');
    };
    this.todoApps = new Informer<TodoApp & KubeObject>(client, KINDS.todoApp, {
      resyncMs: options.resyncMs,
      onError: onError('TodoApp'),
    });
    this.todoApps.on((app) => this.queue.add(cacheKey(app.metadata.namespace, app.metadata.name)));
    for (const kind of CHILD_KINDS) {
      // Only our own children are cached: the label keeps memory flat however many Secrets the cluster holds.
      const informer = new Informer<KubeObject>(client, KINDS[kind], {
        resyncMs: options.resyncMs,
        labelSelector: `app.kubernetes.io/managed-by=${MANAGED_BY}`,
        onError: onError(KINDS[kind].kind),
      });
      informer.on((obj, event) => {
        if (event === 'resync') return;
        const owner = obj.metadata.ownerReferences?.find(
          (o) => o.controller && o.kind === KINDS.todoApp.kind,
        );
        if (owner) this.queue.add(cacheKey(obj.metadata.namespace, owner.name));
      });
      this.children.set(kind, informer);
    }
  }

  /** Reads a child from its informer cache. */
  readonly lookup: ChildLookup = (kind, namespace, name) => this.children.get(kind)?.get(namespace, name);

  /**
   * Starts the informers and, once every cache is complete, the workers: a worker reading a cache still
   * filling would see children as missing and write them again. Until then `synced` is false (readiness fails).
   */
  start(): void {
    const informers = [this.todoApps, ...this.children.values()];
    for (const informer of informers) this.running.push(informer.run());
    // Not awaited by stop(): a cache that never syncs (no permission to list) must not hold up a shutdown.
    void Promise.all(informers.map((i) => i.whenSynced)).then(() => {
      if (this.stopped) return;
      this.synced = true;
      for (let i = 0; i < this.options.workers; i++) this.running.push(this.worker());
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.shutdown();
    this.todoApps.stop();
    for (const informer of this.children.values()) informer.stop();
    await Promise.allSettled(this.running);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (!item) return;
      const { key, waitedMs } = item;
      this.metrics.queueLatency.observe(waitedMs / 1000);
      const [namespace, name] = key.split('/') as [string, string];
      const app = this.todoApps.get(namespace, name);
      const end = this.metrics.reconcileDuration.startTimer();
      try {
        if (!app) continue;
        const result = await reconciling.run(key, () => this.reconcile(app));
        this.metrics.reconciles.inc({ result });
        this.queue.forget(key);
      } catch (err) {
        // The one failure path: the error policy picks the retry ceiling and the metric label.
        const { label, maxDelayMs } = errorPolicy(err);
        this.metrics.reconcileErrors.inc({ error: label });
        this.metrics.reconciles.inc({ result: 'failed' });
        const retryInMs = this.queue.addWithBackoff(key, maxDelayMs);
        this.log.warn({ key, error: label, err: (err as Error).message, retryInMs }, 'reconcile failed');
      } finally {
        end();
        this.queue.done(key);
        this.metrics.queueDepth.set(this.queue.stats().depth);
      }
    }
  }
}
