/**
 * The consumer watchdog: every `checkMs` it reads the offsets of every Dapr-enabled tenant's consumer groups and,
 * when one has stopped consuming while its members stay in it (stall-judge.ts) for `stallMs`, restarts the
 * tenant's API pods as `kubectl rollout restart` does and records a Warning Event. Runs on the leader only.
 */
import { subscriptionPubsubName, TOPICS, type TopicKey, topicName } from '@todo/contract';
import type { Logger } from 'pino';
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { deploymentAvailability } from '../kube/deployment-status.js';
import { KINDS, objectPath } from '../kube/resources.js';
import { consumerGroupOf } from '../reconcile/desired/dapr.js';
import { childNames } from '../reconcile/desired/meta.js';
import type { EventRecorder } from '../reconcile/events.js';
import { resolveKafkaAuth } from '../reconcile/resolve-kafka-auth.js';
import type { ConsumerGroupLag, ConsumerGroupQuery, KafkaAuth, TopicAdmin } from '../reconcile/topics.js';
import type { OperatorMetrics } from '../runtime/metrics.js';
import { type GroupWatch, judgeGroup, type StalledPartition } from './stall-judge.js';

/** Set on the pod template to roll the pods, as `kubectl rollout restart` sets `kubectl.kubernetes.io/restartedAt`. */
export const RESTARTED_AT_ANNOTATION = 'tenancy.todo.dev/restarted-at';

/**
 * The restart's own field manager: the reconciler's server-side apply (FIELD_MANAGER) does not own the annotation,
 * so it never removes it, and its drift check looks at desired fields only, so it never re-applies over it.
 */
export const WATCHDOG_FIELD_MANAGER = 'todo-operator-watchdog';

export interface WatchdogConfig {
  checkMs: number;
  /** How long a partition's committed offset may stay behind before the pods are restarted; 0: no watchdog. */
  stallMs: number;
  /** At most one restart of a tenant's pods within this. */
  cooldownMs: number;
}

export type LagSource = (app: TodoApp, groups: ConsumerGroupQuery[]) => Promise<ConsumerGroupLag[]>;

export interface WatchdogDeps {
  /** The TodoApps of the informer cache. */
  apps: () => TodoApp[];
  deployment: (namespace: string, name: string) => KubeObject | undefined;
  lag: LagSource;
  restart: (app: TodoApp, deployment: string, at: Date) => Promise<void>;
  events: EventRecorder;
  metrics: Pick<
    OperatorMetrics,
    'consumerLag' | 'consumerStalledPartitions' | 'consumerRestarts' | 'consumerChecks'
  >;
  log: Logger;
  now?: () => number;
}

/** The tenant's consumer groups (one per pubsub component, dapr.ts) with the contract topic each consumes. */
export function consumerGroups(app: TodoApp): ConsumerGroupQuery[] {
  const pubsub = childNames(app).pubsub;
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    const groupId = consumerGroupOf(app, subscriptionPubsubName(pubsub, key));
    groups.set(groupId, [...(groups.get(groupId) ?? []), topicName(key, app.spec.kafka.topicPrefix)]);
  }
  return [...groups].map(([groupId, topics]) => ({ groupId, topics }));
}

/**
 * Reads a tenant's groups through the topic admin's clients, signed in as the reconciler signs in. The credentials
 * are kept for `authTtlMs` (and until the spec names others, or Kafka refuses them): read every round they would
 * cost every TLS or SASL tenant a Secret read every `checkMs`, from the reconciles' request budget.
 */
export function kafkaLagSource(topics: TopicAdmin, client: KubeClient, authTtlMs = 300_000): LagSource {
  const auths = new Map<string, { spec: string; at: number; auth: KafkaAuth }>();
  return async (app, groups) => {
    const id = `${app.metadata.namespace}/${app.metadata.name}`;
    const spec = JSON.stringify([app.spec.kafka.tls, app.spec.kafka.sasl]);
    let known = auths.get(id);
    if (!known || known.spec !== spec || Date.now() - known.at > authTtlMs) {
      known = { spec, at: Date.now(), auth: await resolveKafkaAuth(app, client) };
      auths.set(id, known);
    }
    try {
      return await topics.consumerLag(app.spec.kafka, known.auth, groups);
    } catch (err) {
      auths.delete(id);
      throw err;
    }
  };
}

/** Patches the pod template's restart annotation (a merge patch under WATCHDOG_FIELD_MANAGER). */
export async function restartDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  at: Date,
): Promise<void> {
  const path = `${objectPath(KINDS.deployment, namespace, name)}?fieldManager=${WATCHDOG_FIELD_MANAGER}`;
  await client.mergePatch(path, {
    spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at.toISOString() } } } },
  });
}

/** The Event's message: each stalled group with its topic, partitions, lag and since when. */
export function stalledMessage(
  stalled: { groupId: string; partitions: StalledPartition[] }[],
  deployment: string,
) {
  const groups = stalled.map(({ groupId, partitions }) => {
    const byTopic = new Map<string, StalledPartition[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
    const topics = [...byTopic].map(([topic, ps]) => {
      const lag = ps.reduce((n, p) => n + p.lag, 0);
      const since = new Date(Math.min(...ps.map((p) => p.since))).toISOString();
      return `topic ${topic} partitions ${ps.map((p) => p.partition).join(',')} (lag ${lag}, committed offsets unchanged since ${since})`;
    });
    return `consumer group ${groupId} stopped consuming ${topics.join('; ')}`;
  });
  return `${groups.join('; ')}; its members stay in the group: restarting the pods of Deployment ${deployment}`;
}

/** The annotation `kubectl rollout restart` writes on the pod template. */
const KUBECTL_RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * When the Deployment's pods were last restarted on purpose: the later of what its pod template says (written by
 * any leader's watchdog, or by `kubectl rollout restart`) and what this instance remembers (its cache may not show
 * its own patch yet). Read from the Deployment, the cooldown holds across a change of leader.
 */
export function lastRestartMs(
  deployment: KubeObject | undefined,
  remembered: number | undefined,
): number | undefined {
  const template = (
    deployment?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } }
  )?.template;
  const annotations = template?.metadata?.annotations ?? {};
  const times = [RESTARTED_AT_ANNOTATION, KUBECTL_RESTARTED_AT]
    .map((key) => Date.parse(annotations[key] ?? ''))
    .filter(Number.isFinite);
  if (remembered !== undefined) times.push(remembered);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** The tenant's status says its topics exist (the reconciler's TopicsReady condition). */
const topicsReady = (app: TodoApp): boolean =>
  app.status?.conditions?.some((c) => c.type === 'TopicsReady' && c.status === 'True') ?? false;

export class ConsumerWatchdog {
  private readonly watches = new Map<string, { watch: GroupWatch; labels: Record<string, string> }>();
  private readonly restartedAt = new Map<string, number>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: WatchdogConfig,
    private readonly deps: WatchdogDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Checks every `checkMs`, the next round starting only once the previous ended. */
  start(): void {
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.round = this.check().finally(next);
      }, this.config.checkMs);
    };
    next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round over every Dapr-enabled TodoApp; a tenant whose Kafka fails is logged and skipped, never thrown. */
  async check(): Promise<void> {
    const seen = new Set<string>();
    for (const app of this.deps.apps()) {
      if (this.stopped) return;
      if (!app.spec.dapr.enabled || app.metadata.deletionTimestamp) continue;
      const { namespace, name } = app.metadata;
      seen.add(`${namespace}/${name}`);
      // Until the reconciler has made the topics there is nothing to consume, and reading offsets of topics that
      // do not exist fails and takes an admin client from the reconciles that are creating them.
      if (!topicsReady(app)) continue;
      try {
        await this.checkApp(app);
      } catch (err) {
        this.deps.log.warn(
          { namespace, name, err: (err as Error).message },
          'consumer watchdog: could not check the consumer groups',
        );
      }
    }
    this.forgetAllBut(seen);
    this.deps.metrics.consumerChecks.inc();
  }

  private async checkApp(app: TodoApp): Promise<void> {
    const { namespace, name } = app.metadata;
    const appKey = `${namespace}/${name}`;
    const samples = await this.deps.lag(app, consumerGroups(app));
    const now = this.now();
    const stalled: { groupId: string; partitions: StalledPartition[] }[] = [];
    for (const sample of samples) {
      const key = `${appKey}/${sample.groupId}`;
      const judged = judgeGroup(this.watches.get(key)?.watch, sample, now, this.config.stallMs);
      const labels = { namespace, todoapp: name, group: sample.groupId };
      this.watches.set(key, { watch: judged.watch, labels });
      this.deps.metrics.consumerLag.set(labels, judged.lag);
      this.deps.metrics.consumerStalledPartitions.set(labels, judged.stalled.length);
      if (judged.stalled.length) stalled.push({ groupId: sample.groupId, partitions: judged.stalled });
    }
    if (!stalled.length) return;

    const deployment = childNames(app).api;
    const found = this.deps.deployment(namespace, deployment);
    const last = lastRestartMs(found, this.restartedAt.get(appKey));
    const log = this.deps.log.child({ namespace, name, groups: stalled.map((s) => s.groupId) });
    if (last !== undefined && now - last < this.config.cooldownMs) {
      log.debug(
        { restartedAt: new Date(last).toISOString() },
        'consumer stalled; restarted recently, waiting',
      );
      return;
    }
    if (!found || deploymentAvailability(found).availableReplicas < 1) {
      log.debug('consumer stalled; no available API replica to restart');
      return;
    }
    // Stopped while reading Kafka (the lease lost, say): another instance may lead by now and decide for itself.
    if (this.stopped) return;
    await this.deps.restart(app, deployment, new Date(now));
    this.restartedAt.set(appKey, now);
    // The restarted pods rejoin the groups: their clocks start again.
    for (const s of samples) {
      const kept = this.watches.get(`${appKey}/${s.groupId}`);
      if (kept) kept.watch = new Map();
    }
    this.deps.metrics.consumerRestarts.inc({ namespace, todoapp: name });
    const message = stalledMessage(stalled, deployment);
    log.warn({ deployment }, `consumer watchdog: ${message}`);
    await this.deps.events.record(app, 'Warning', 'ConsumerStalled', message);
  }

  /** Drops what it keeps, and the gauges, of tenants gone or no longer using Dapr. */
  private forgetAllBut(apps: Set<string>): void {
    for (const [key, { labels }] of this.watches) {
      if (apps.has(`${labels.namespace}/${labels.todoapp}`)) continue;
      this.watches.delete(key);
      this.deps.metrics.consumerLag.remove(labels);
      this.deps.metrics.consumerStalledPartitions.remove(labels);
    }
    for (const app of this.restartedAt.keys()) if (!apps.has(app)) this.restartedAt.delete(app);
  }
}
