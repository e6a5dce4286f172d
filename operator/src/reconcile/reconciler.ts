/**
 * The whole story of one TodoApp: handle deletion (finalizer for what lives outside the cluster), resolve the
 * database and topics, apply the children that drifted, prune the ones no longer wanted, then write the status
 * and emit Events for conditions that changed. Level-triggered and idempotent.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Condition, TodoApp, TodoAppStatus } from '../crd/todoapp.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { KINDS, objectPath } from '../kube/resources.js';
import { applyChildren, type ChildLookup, type ChildPlan, KindNotInstalledError } from './children.js';
import { failed, type Outcome, ok, readyOutcome, setCondition, transitions } from './conditions.js';
import type { ManagedDatabase } from './database.js';
import { desiredDaprComponents } from './desired/dapr.js';
import { childNames } from './desired/meta.js';
import {
  appUrl,
  configChecksum,
  desiredConfigMap,
  desiredDeployment,
  desiredIngress,
  desiredSecret,
  desiredService,
} from './desired/workload.js';
import type { EventRecorder } from './events.js';
import { resolveDatabase } from './resolve-database.js';
import { type TopicAdmin, type TopicState, TopicsRejectedError } from './topics.js';

export const FINALIZER = 'tenancy.todo.dev/external-resources';

export interface ReconcileDeps {
  client: KubeClient;
  lookup: ChildLookup;
  topics: TopicAdmin;
  databases: ManagedDatabase | undefined;
  events: EventRecorder;
  now?: () => string;
}

/** `requeue: true` means the spec could not be fully realised and should be retried with backoff. */
export interface ReconcileResult {
  result: 'ready' | 'progressing' | 'failed' | 'deleted';
  requeue: boolean;
}

const appPath = (app: TodoApp) => objectPath(KINDS.todoApp, app.metadata.namespace, app.metadata.name);
const decode = (obj: KubeObject | undefined, key: string): string | undefined => {
  const v = (obj?.data as Record<string, string> | undefined)?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

export async function reconcileTodoApp(app: TodoApp, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (app.metadata.deletionTimestamp) return finalize(app, deps);
  await syncFinalizer(app, deps);

  const ns = app.metadata.namespace;
  const names = childNames(app);
  const existingSecret = deps.lookup('secret', ns, names.secret);
  // Kafka and the Kubernetes API are independent: let the topic round trips overlap with the applies.
  const topicsDone = ensureTopics(app, deps.topics);
  const database = await resolveDatabase(app, deps, existingSecret);

  const plans: ChildPlan[] = [];
  const config = desiredConfigMap(app);
  plans.push({ kind: 'configMap', name: names.config, desired: config });
  if (database.url) {
    // The JWT secret is generated once and read back from the Secret afterwards, so tokens survive reconciles.
    const jwtSecret = decode(existingSecret, 'JWT_SECRET') ?? randomBytes(32).toString('base64url');
    const secret = desiredSecret(app, { jwtSecret, databaseUrl: database.url });
    plans.push({ kind: 'secret', name: names.secret, desired: secret });
    plans.push({
      kind: 'deployment',
      name: names.api,
      desired: desiredDeployment(app, configChecksum(config, secret)),
    });
  }
  plans.push({ kind: 'service', name: names.api, desired: desiredService(app) });
  plans.push({ kind: 'ingress', name: names.ingress, desired: desiredIngress(app) });
  const components = desiredDaprComponents(app);
  for (const name of [names.pubsub, names.statestore, names.secretstore]) {
    plans.push({ kind: 'daprComponent', name, desired: components.find((c) => c.metadata.name === name) });
  }

  const children = await applyAll(app, deps, plans);
  const topics = await topicsDone;
  const deployment = deploymentOutcome(app, deps.lookup('deployment', ns, names.api), database.outcome);
  const ready = readyOutcome({
    DatabaseReady: database.outcome,
    TopicsReady: topics.outcome,
    DeploymentAvailable: deployment.outcome,
  });
  const readyWithChildren = children.ok ? ready : failed(children.reason, children.message);
  await writeStatus(app, deps, {
    conditions: {
      Ready: readyWithChildren,
      DatabaseReady: database.outcome,
      TopicsReady: topics.outcome,
      DeploymentAvailable: deployment.outcome,
    },
    readyReplicas: deployment.readyReplicas,
    topics: topics.state,
  });
  const hardFailure = !database.outcome.ok || !topics.outcome.ok || !children.ok;
  return {
    result: hardFailure ? 'failed' : readyWithChildren.ok ? 'ready' : 'progressing',
    requeue: hardFailure,
  };
}

/**
 * Applies every child; a failure becomes an outcome (and so a condition with its message) rather than an
 * exception, so the status still tells the user what went wrong.
 */
async function applyAll(app: TodoApp, deps: ReconcileDeps, plans: ChildPlan[]): Promise<Outcome> {
  const apply = async (subset: ChildPlan[]): Promise<Outcome | undefined> => {
    try {
      await applyChildren(deps.client, app, subset, deps.lookup);
      return undefined;
    } catch (err) {
      if (err instanceof KindNotInstalledError) {
        return failed(
          'DaprNotInstalled',
          `${err.message}: install Dapr (dapr init -k) or set spec.dapr.enabled to false`,
        );
      }
      return failed('ApplyFailed', (err as Error).message);
    }
  };
  const isDapr = (p: ChildPlan) => p.kind === 'daprComponent';
  // Dapr's Components may be impossible (no CRD) while everything else still applies.
  const [core, dapr] = await Promise.all([
    apply(plans.filter((p) => !isDapr(p))),
    apply(plans.filter(isDapr)),
  ]);
  return core ?? dapr ?? ok('Applied', 'children are up to date');
}

async function ensureTopics(
  app: TodoApp,
  admin: TopicAdmin,
): Promise<{ outcome: Outcome; state: TopicState[] | undefined }> {
  try {
    const state = await admin.ensure(app.spec.kafka);
    return {
      outcome: ok('TopicsCreated', `${state.length} topics with ${app.spec.kafka.partitions} partitions`),
      state,
    };
  } catch (err) {
    const reason = err instanceof TopicsRejectedError ? 'TopicsRejected' : 'KafkaUnavailable';
    return { outcome: failed(reason, (err as Error).message), state: app.status?.topics };
  }
}

function deploymentOutcome(
  app: TodoApp,
  deployment: KubeObject | undefined,
  database: Outcome,
): { outcome: Outcome; readyReplicas: number } {
  if (!deployment) {
    const outcome = database.ok
      ? failed('DeploymentPending', 'the Deployment has not been observed yet')
      : failed('WaitingForDatabase', 'the Deployment needs the database URL first');
    return { outcome, readyReplicas: 0 };
  }
  const status = (deployment.status ?? {}) as {
    readyReplicas?: number;
    conditions?: { type: string; status: string; message?: string }[];
  };
  const readyReplicas = status.readyReplicas ?? 0;
  const available = status.conditions?.find((c) => c.type === 'Available');
  if (app.spec.replicas === 0) return { outcome: ok('ScaledToZero', 'replicas is 0'), readyReplicas };
  if (available?.status === 'True')
    return {
      outcome: ok('MinimumReplicasAvailable', `${readyReplicas}/${app.spec.replicas} replicas ready`),
      readyReplicas,
    };
  return {
    outcome: failed(
      'MinimumReplicasUnavailable',
      available?.message ?? `${readyReplicas}/${app.spec.replicas} replicas ready`,
    ),
    readyReplicas,
  };
}

async function writeStatus(
  app: TodoApp,
  deps: ReconcileDeps,
  observed: {
    conditions: Record<Condition['type'] & string, Outcome>;
    readyReplicas: number;
    topics: TopicState[] | undefined;
  },
): Promise<void> {
  const now = deps.now?.() ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const before = app.status?.conditions ?? [];
  let conditions = before;
  for (const [type, outcome] of Object.entries(observed.conditions)) {
    conditions = setCondition(conditions, type as 'Ready', outcome, app.metadata.generation, now);
  }
  const status: TodoAppStatus = {
    observedGeneration: app.metadata.generation,
    url: appUrl(app),
    readyReplicas: observed.readyReplicas,
    ...(observed.topics ? { topics: observed.topics } : {}),
    conditions,
  };
  // The server re-serialises with sorted keys, so compare values, not strings.
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(status)), app.status ?? {})) return;
  await deps.client.mergePatch(`${appPath(app)}/status`, { status });
  for (const t of transitions(before, conditions)) {
    await deps.events.record(
      app,
      t.to.status === 'True' ? 'Normal' : 'Warning',
      t.to.reason,
      `${t.type} is ${t.to.status}: ${t.to.message}`,
    );
  }
}

/** The finalizer guards external resources, so it is only there when they must be deleted with the TodoApp. */
async function syncFinalizer(app: TodoApp, deps: ReconcileDeps): Promise<void> {
  const finalizers = app.metadata.finalizers ?? [];
  const want = app.spec.deletionPolicy === 'Delete';
  if (want === finalizers.includes(FINALIZER)) return;
  const next = want ? [...finalizers, FINALIZER] : finalizers.filter((f) => f !== FINALIZER);
  await deps.client.mergePatch(appPath(app), {
    metadata: { finalizers: next, resourceVersion: app.metadata.resourceVersion },
  });
}

async function finalize(app: TodoApp, deps: ReconcileDeps): Promise<ReconcileResult> {
  const finalizers = app.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) return { result: 'deleted', requeue: false };
  if (app.spec.deletionPolicy === 'Delete') {
    await deps.topics.remove(app.spec.kafka);
    if (app.spec.database.managed) {
      if (!deps.databases)
        throw new Error('OPERATOR_DATABASE_URL is not set, so the managed database cannot be dropped');
      await deps.databases.drop(app.metadata.namespace, app.metadata.name);
    }
    await deps.events.record(
      app,
      'Normal',
      'ExternalResourcesDeleted',
      'topics and managed database deleted (deletionPolicy Delete)',
    );
  }
  try {
    await deps.client.mergePatch(appPath(app), {
      metadata: {
        finalizers: finalizers.filter((f) => f !== FINALIZER),
        resourceVersion: app.metadata.resourceVersion,
      },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return { result: 'deleted', requeue: false };
}
