/** Conditions in the metav1.Condition shape; `lastTransitionTime` moves only when the status does. */
import type { Condition, ConditionType } from '../crd/todoapp.js';
import type { TenantError } from './error-policy.js';

export interface Outcome {
  ok: boolean;
  reason: string;
  message: string;
}

export const ok = (reason: string, message: string): Outcome => ({ ok: true, reason, message });
export const failed = (reason: string, message: string): Outcome => ({ ok: false, reason, message });
export const failedWith = (err: TenantError): Outcome => failed(err.reason, err.message);

/** Returns the condition list with `type` set, keeping the old transition time when the status is unchanged. */
export function setCondition(
  conditions: readonly Condition[],
  type: ConditionType,
  outcome: Outcome,
  generation: number | undefined,
  now: string,
): Condition[] {
  const status = outcome.ok ? 'True' : 'False';
  const previous = conditions.find((c) => c.type === type);
  const next: Condition = {
    type,
    status,
    observedGeneration: generation,
    lastTransitionTime: previous && previous.status === status ? previous.lastTransitionTime : now,
    reason: outcome.reason,
    message: outcome.message,
  };
  if (generation === undefined) delete next.observedGeneration;
  return [...conditions.filter((c) => c.type !== type), next].sort(
    (a, b) => conditionOrder(a.type) - conditionOrder(b.type),
  );
}

/** The order of the conditions in the status, which is also the order in which Ready looks for a failure. */
const ORDER: string[] = [
  'Ready',
  'DatabaseReady',
  'TopicsReady',
  'DeploymentAvailable',
  'RouteAccepted',
] satisfies ConditionType[];
export const conditionOrder = (type: string) => {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
};

export interface Transition {
  type: string;
  from: string | undefined;
  to: Condition;
}

/** The conditions whose status changed between two lists: these, and only these, become Events. */
export function transitions(before: readonly Condition[], after: readonly Condition[]): Transition[] {
  return after
    .map((to) => ({ type: to.type, from: before.find((c) => c.type === to.type)?.status, to }))
    .filter((t) => t.from !== t.to.status);
}

/** The conditions Ready summarises; RouteAccepted only when the TodoApp asks for a Gateway route. */
export type ReadyParts = Record<'DatabaseReady' | 'TopicsReady' | 'DeploymentAvailable', Outcome> & {
  RouteAccepted?: Outcome;
};

/** Ready summarises the others: the first failing condition explains why the tenant is not ready. */
export function readyOutcome(parts: ReadyParts): Outcome {
  const failing = Object.entries(parts).find(([, o]) => !o.ok);
  if (!failing)
    return ok(
      'AllReady',
      parts.RouteAccepted
        ? 'database, topics, deployment and route are ready'
        : 'database, topics and deployment are ready',
    );
  const [type, outcome] = failing;
  return failed(outcome.reason, `${type}: ${outcome.message}`);
}
