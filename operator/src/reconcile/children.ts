/** Applies the desired children and prunes the undesired ones, writing only when something drifted. */
import type { TodoApp } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { KINDS } from '../kube/resources.js';
import { isUpToDate, withDesiredHash } from './drift.js';

export type ChildKind =
  | 'deployment'
  | 'service'
  | 'secret'
  | 'configMap'
  | 'ingress'
  | 'httpRoute'
  | 'daprComponent'
  | 'daprResiliency'
  | 'serviceAccount'
  | 'role'
  | 'roleBinding';

/** Reads children from the informer caches. */
export type ChildLookup = (kind: ChildKind, namespace: string, name: string) => KubeObject | undefined;

export interface ChildPlan {
  kind: ChildKind;
  /** The name, and the desired object or undefined when it must not exist. */
  name: string;
  desired: KubeObject | undefined;
}

export async function applyChildren(
  client: KubeClient,
  app: TodoApp,
  plans: ChildPlan[],
  lookup: ChildLookup,
): Promise<void> {
  const ns = app.metadata.namespace;
  // The API server lets us bind a Role only after reading it (we must hold what it grants): a RoleBinding applied
  // beside its Role may find none yet, and is refused with a 404.
  const isBinding = (p: ChildPlan) => p.kind === 'roleBinding';
  await applyAtOnce(
    client,
    ns,
    plans.filter((p) => !isBinding(p)),
    lookup,
  );
  await applyAtOnce(client, ns, plans.filter(isBinding), lookup);
}

async function applyAtOnce(
  client: KubeClient,
  ns: string,
  plans: ChildPlan[],
  lookup: ChildLookup,
): Promise<void> {
  await Promise.all(
    plans.map(async ({ kind, name, desired }) => {
      const api = new Api(client, KINDS[kind], ns);
      const actual = lookup(kind, ns, name);
      if (!desired) {
        if (actual) await api.delete(name);
        return;
      }
      const wanted = withDesiredHash(desired);
      if (isUpToDate(actual, wanted)) return;
      await api.apply(wanted);
    }),
  );
}
