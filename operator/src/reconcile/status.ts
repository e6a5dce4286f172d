/** The TodoApp's status: written only when it differs, with an Event for each condition that changed. */
import { isDeepStrictEqual } from 'node:util';
import type { ConditionType, TodoApp, TodoAppStatus } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { deploymentAvailability } from '../kube/deployment-status.js';
import { KINDS } from '../kube/resources.js';
import { failed, type Outcome, ok, setCondition, transitions } from './conditions.js';
import { appUrl } from './desired/workload.js';
import type { EventRecorder } from './events.js';
import type { TopicState } from './topics.js';

export interface ObservedState {
  /** Every condition the TodoApp has now; one not listed (RouteAccepted without a gateway) is removed. */
  conditions: Partial<Record<ConditionType, Outcome>>;
  readyReplicas: number;
  topics: TopicState[] | undefined;
}

/** DeploymentAvailable from the cached Deployment: waiting states, not failures (its watch brings news). */
export function deploymentOutcome(
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
  const { readyReplicas, available, message } = deploymentAvailability(deployment);
  const counts = `${readyReplicas}/${app.spec.replicas} replicas ready`;
  if (app.spec.replicas === 0) return { outcome: ok('ScaledToZero', 'replicas is 0'), readyReplicas };
  if (available) return { outcome: ok('MinimumReplicasAvailable', counts), readyReplicas };
  return { outcome: failed('MinimumReplicasUnavailable', message ?? counts), readyReplicas };
}

export async function writeStatus(
  app: TodoApp,
  deps: { client: KubeClient; events: EventRecorder; now?: () => string },
  observed: ObservedState,
): Promise<void> {
  const now = deps.now?.() ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const before = app.status?.conditions ?? [];
  let conditions = before.filter((c) => c.type in observed.conditions);
  for (const [type, outcome] of Object.entries(observed.conditions)) {
    conditions = setCondition(conditions, type as ConditionType, outcome, app.metadata.generation, now);
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
  await new Api(deps.client, KINDS.todoApp, app.metadata.namespace).patchStatus(app.metadata.name, status);
  for (const t of transitions(before, conditions)) {
    await deps.events.record(
      app,
      t.to.status === 'True' ? 'Normal' : 'Warning',
      t.to.reason,
      `${t.type} is ${t.to.status}: ${t.to.message}`,
    );
  }
}
