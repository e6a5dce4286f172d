/**
 * The whole story of one TodoApp: handle deletion (finalizer for what lives outside the cluster), resolve the
 * database and topics (and carry committed offsets over to a pubsub component's new consumer group), apply the
 * children that drifted, prune the ones no longer wanted, then write the status and emit Events for conditions
 * that changed. Level-triggered and idempotent. A failure the user can fix or
 * wait out is a TenantError: it is shown in the status, then thrown, so the error policy decides the retry.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@todo/contract';
import type { ConditionType, TodoApp } from '../crd/todoapp.js';
import type { KubeClient } from '../kube/client.js';
import { KindNotInstalledError } from '../kube/errors.js';
import { secretValue } from '../kube/secret-data.js';
import { childPlans, type RenderedWorkload, renderedWorkload } from './child-plans.js';
import { applyChildren, type ChildKind, type ChildLookup, type ChildPlan } from './children.js';
import {
  conditionOrder,
  failed,
  failedWith,
  type Outcome,
  ok,
  type ReadyParts,
  readyOutcome,
} from './conditions.js';
import type { ManagedDatabase } from './database.js';
import { apiEnvironment } from './desired/api-environment.js';
import { desiredDaprComponents } from './desired/dapr.js';
import { childNames } from './desired/meta.js';
import { APP_TOKEN_KEY, desiredConfigMap } from './desired/workload.js';
import { TenantError } from './error-policy.js';
import type { EventRecorder } from './events.js';
import { finalize, syncFinalizer, topicFailure } from './finalizer.js';
import { carriedOverMessage, consumerGroupMoves } from './offset-carry-over.js';
import { resolveDatabase } from './resolve-database.js';
import { resolveKafkaAuth } from './resolve-kafka-auth.js';
import { routeOutcome } from './route-status.js';
import { deploymentOutcome, writeStatus } from './status.js';
import type { CarriedOffsets, TopicAdmin, TopicState } from './topics.js';

export interface ReconcileDeps {
  client: KubeClient;
  lookup: ChildLookup;
  topics: TopicAdmin;
  databases: ManagedDatabase | undefined;
  events: EventRecorder;
  now?: () => string;
}

/** How a successful reconcile left the TodoApp (a failed one throws). */
export type ReconcileResult = 'ready' | 'progressing' | 'deleted';

/** Keeps a TenantError for the status and turns the step's result into undefined; other errors end the reconcile. */
const reportTo =
  (failures: TenantError[]) =>
  (err: unknown): undefined => {
    if (!(err instanceof TenantError)) throw err;
    failures.push(err);
    return undefined;
  };

/** A secret value generated once and read back from the Secret afterwards, so it survives reconciles. */
const kept = (value: string | undefined) => value ?? randomBytes(32).toString('base64url');

export async function reconcileTodoApp(app: TodoApp, deps: ReconcileDeps): Promise<ReconcileResult> {
  if (app.metadata.deletionTimestamp) {
    await finalize(app, deps);
    return 'deleted';
  }
  await syncFinalizer(app, deps.client);

  const ns = app.metadata.namespace;
  const names = childNames(app);
  const failures: TenantError[] = [];
  const existingSecret = deps.lookup('secret', ns, names.secret);
  const existingDaprApiSecret = deps.lookup('secret', ns, names.daprApiToken);
  // Pubsub components whose sidecars committed offsets in another consumer group than the one rendered now.
  const moves = consumerGroupMoves(app, (name) => deps.lookup('daprComponent', ns, name));
  // Kafka and the Kubernetes API are independent: let the topic round trips overlap with the applies.
  const kafkaDone = resolveKafkaAuth(app, deps.client)
    .then(async (auth) => ({
      topics: await deps.topics.ensure(app.spec.kafka, auth),
      carried: moves.length ? await deps.topics.carryOverOffsets(app.spec.kafka, auth, moves) : [],
    }))
    .then(
      (done): { topics: TopicState[]; carried: CarriedOffsets[] } => done,
      (err: unknown) => reportTo(failures)(topicFailure(err)),
    );
  const database = await resolveDatabase(app, deps, existingSecret).catch(async (err: unknown) => {
    // Never leave a topic call running past this reconcile: the next one (a deletion) could be overtaken by it.
    await kafkaDone;
    return reportTo(failures)(err);
  });

  const config = desiredConfigMap(app);
  const components = desiredDaprComponents(app);
  let workload: RenderedWorkload | undefined;
  if (database) {
    const rendered = renderedWorkload(app, config, components, {
      jwtSecret: kept(secretValue(existingSecret, 'JWT_SECRET')),
      appToken: kept(secretValue(existingSecret, APP_TOKEN_KEY)),
      databaseUrl: database.url,
      daprApiToken: kept(secretValue(existingDaprApiSecret, APP_TOKEN_KEY)),
    });
    const { secret, daprApiSecret, deployment } = rendered;
    // Pods that would crash-loop on their config are not rolled out: the running ones keep the last good one.
    const refusal = apiRefusal(apiEnvironment(deployment, config, secret, daprApiSecret));
    if (refusal) failures.push(refusal);
    else workload = rendered;
  }
  const plans = childPlans(app, config, components, workload);
  // A sidecar joins a component's new group when its pod starts (the pod template holds the Components' checksum,
  // so applying them rolls the pods): the old group's offsets are carried over first, and until that succeeded
  // neither the moved Components nor the Deployment are applied. The old pods consume through the old group until
  // they stop; what they take meanwhile is delivered once more, and the API's consumers are idempotent.
  const movesBlocked = moves.length > 0 && !(await kafkaDone);
  const held = (p: ChildPlan) =>
    p.kind === 'deployment' || (p.kind === 'daprComponent' && moves.some((m) => m.component === p.name));
  await applyAll(app, deps, movesBlocked ? plans.filter((p) => !held(p)) : plans, failures);
  const kafka = await kafkaDone;
  const topics = kafka?.topics;
  const carriedOver = carriedOverMessage(kafka?.carried ?? []);
  if (carriedOver) await deps.events.record(app, 'Normal', 'ConsumerOffsetsMigrated', carriedOver);

  /** A condition shows its step's failure when there is one, else the step's success. */
  const shown = (type: ConditionType, success: Outcome | undefined): Outcome => {
    const failure = failures.find((f) => f.condition === type);
    return failure ? failedWith(failure) : (success ?? failed('Unknown', `${type} was not determined`));
  };
  const databaseReady = shown('DatabaseReady', database?.outcome);
  const topicsReady = shown(
    'TopicsReady',
    topics && ok('TopicsCreated', `${topics.length} topics with ${app.spec.kafka.partitions} partitions`),
  );
  const deployment = deploymentOutcome(app, deps.lookup('deployment', ns, names.api), databaseReady);
  const route = routeOutcome(app, deps.lookup('httpRoute', ns, names.httpRoute));
  const parts: ReadyParts = {
    DatabaseReady: databaseReady,
    TopicsReady: topicsReady,
    DeploymentAvailable: deployment.outcome,
    ...(route && { RouteAccepted: shown('RouteAccepted', route) }),
  };
  const ready = shown('Ready', readyOutcome(parts));
  await writeStatus(app, deps, {
    conditions: { Ready: ready, ...parts },
    readyReplicas: deployment.readyReplicas,
    topics: topics ?? app.status?.topics,
  });

  const [first] = failures.sort((a, b) => conditionOrder(a.condition) - conditionOrder(b.condition));
  if (first) throw first;
  return ready.ok ? 'ready' : 'progressing';
}

/** What the API's own config loader says about the environment rendered for it (e.g. a user's DATABASE_URL). */
function apiRefusal(env: Record<string, string | undefined>): TenantError | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return new TenantError('InvalidConfiguration', `the API would not start: ${err.message}`);
  }
}

/** Kinds whose CRDs a cluster may lack, and what to tell the user when it does. */
const daprNotInstalled = (err: KindNotInstalledError) =>
  new TenantError(
    'DaprNotInstalled',
    `${err.message}: install Dapr (dapr init -k) or set spec.dapr.enabled to false`,
  );
const OPTIONAL_APIS: Partial<Record<ChildKind, (err: KindNotInstalledError) => TenantError>> = {
  daprComponent: daprNotInstalled,
  daprResiliency: daprNotInstalled,
  httpRoute: (err) =>
    new TenantError(
      'GatewayAPINotInstalled',
      `${err.message}: install the Gateway API CRDs (standard channel, v1.4 or later) and a Gateway controller, or remove spec.gateway`,
    ),
};

/**
 * Applies every child; each optional API (Dapr's Components and Resiliency, Gateway API's HTTPRoute) may be impossible (no CRD)
 * while everything else still applies. A failure is reported with the API server's message.
 */
async function applyAll(
  app: TodoApp,
  deps: ReconcileDeps,
  plans: ChildPlan[],
  failures: TenantError[],
): Promise<void> {
  const apply = (subset: ChildPlan[]) =>
    applyChildren(deps.client, app, subset, deps.lookup).catch((err: unknown) => {
      const notInstalled = err instanceof KindNotInstalledError && subset[0] && OPTIONAL_APIS[subset[0].kind];
      return reportTo(failures)(
        notInstalled
          ? notInstalled(err as KindNotInstalledError)
          : new TenantError('ApplyFailed', (err as Error).message),
      );
    });
  // One group per optional API (Dapr's kinds together, so a missing Dapr is reported once), one for the rest.
  const groups = new Map<unknown, ChildPlan[]>();
  for (const plan of plans) {
    const group = OPTIONAL_APIS[plan.kind] ?? 'required';
    groups.set(group, [...(groups.get(group) ?? []), plan]);
  }
  await Promise.all([...groups.values()].map(apply));
}
