/**
 * RouteAccepted, read from the HTTPRoute's status: each Gateway controller reports there, per parent Gateway,
 * whether it accepted the route (Accepted) and found its backend (ResolvedRefs). The TodoApp repeats it in words.
 */
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeObject } from '../kube/client.js';
import { failed, type Outcome, ok } from './conditions.js';
import { childNames } from './desired/meta.js';

interface RouteCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

interface RouteParentStatus {
  parentRef: { name: string; namespace?: string; sectionName?: string };
  conditions?: RouteCondition[];
}

type ParentRef = NonNullable<TodoApp['spec']['gateway']>['parentRefs'][number];

const describeParent = (ref: ParentRef, ns: string) =>
  `Gateway ${ref.namespace ?? ns}/${ref.name}${ref.sectionName ? ` (listener ${ref.sectionName})` : ''}`;

const sameParent = (a: RouteParentStatus['parentRef'], b: ParentRef, ns: string) =>
  a.name === b.name &&
  (a.namespace ?? ns) === (b.namespace ?? ns) &&
  (a.sectionName ?? '') === (b.sectionName ?? '');

const said = (c: RouteCondition) => `${c.reason ?? c.status}${c.message ? `: ${c.message}` : ''}`;

/** The RouteAccepted outcome, or undefined when the TodoApp asks for no Gateway route. */
export function routeOutcome(app: TodoApp, route: KubeObject | undefined): Outcome | undefined {
  const gateway = app.spec.gateway;
  if (!gateway) return undefined;
  const ns = app.metadata.namespace;
  const name = `HTTPRoute ${childNames(app).httpRoute}`;
  if (!route) return failed('RoutePending', `the ${name} has not been observed yet`);
  const generation = route.metadata.generation;
  const statuses = (route as { status?: { parents?: RouteParentStatus[] } }).status?.parents ?? [];
  const rejected: string[] = [];
  const unresolved: string[] = [];
  const pending: string[] = [];
  for (const ref of gateway.parentRefs) {
    // A condition written for an older generation of the route says nothing about the current one.
    const current = statuses
      .filter((s) => sameParent(s.parentRef, ref, ns))
      .flatMap((s) => s.conditions ?? [])
      .filter((c) => generation === undefined || (c.observedGeneration ?? generation) >= generation);
    const accepted = current.filter((c) => c.type === 'Accepted');
    const refusal = accepted.find((c) => c.status === 'False');
    const unresolvedRefs = current.find((c) => c.type === 'ResolvedRefs' && c.status === 'False');
    if (refusal) rejected.push(`${describeParent(ref, ns)} did not accept it (${said(refusal)})`);
    else if (!accepted.some((c) => c.status === 'True')) pending.push(describeParent(ref, ns));
    else if (unresolvedRefs)
      unresolved.push(`${describeParent(ref, ns)} cannot send traffic to it (${said(unresolvedRefs)})`);
  }
  if (rejected.length) return failed('RouteNotAccepted', `${name}: ${rejected.join('; ')}`);
  if (unresolved.length) return failed('RouteRefsNotResolved', `${name}: ${unresolved.join('; ')}`);
  if (pending.length)
    return failed(
      'RoutePending',
      `${name}: no Gateway controller has accepted it yet for ${pending.join(', ')}; is the Gateway there, and a controller for its GatewayClass running?`,
    );
  return ok(
    'Accepted',
    `${name} is accepted by ${gateway.parentRefs.map((r) => describeParent(r, ns)).join(', ')}`,
  );
}
