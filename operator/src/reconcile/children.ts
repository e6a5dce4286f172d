/** Applies the desired children and prunes the undesired ones, writing only when something drifted. */
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { KINDS, objectPath, type ResourceKind } from '../kube/resources.js';
import { isUpToDate, withDesiredHash } from './drift.js';

export type ChildKind = 'deployment' | 'service' | 'secret' | 'configMap' | 'ingress' | 'daprComponent';

/** Reads children from the informer caches. */
export type ChildLookup = (kind: ChildKind, namespace: string, name: string) => KubeObject | undefined;

export interface ChildPlan {
  kind: ChildKind;
  /** The name, and the desired object or undefined when it must not exist. */
  name: string;
  desired: KubeObject | undefined;
}

export interface ApplyResult {
  applied: number;
  deleted: number;
}

/** Raised when a kind's API is not served (e.g. Dapr's Component CRD is not installed). */
export class KindNotInstalledError extends Error {
  override readonly name = 'KindNotInstalledError';
  constructor(readonly kind: ResourceKind) {
    super(`the ${kind.kind} API (${kind.group || 'core'}/${kind.version}) is not installed in this cluster`);
  }
}

export async function applyChildren(
  client: KubeClient,
  app: TodoApp,
  plans: ChildPlan[],
  lookup: ChildLookup,
): Promise<ApplyResult> {
  const ns = app.metadata.namespace;
  const result: ApplyResult = { applied: 0, deleted: 0 };
  await Promise.all(
    plans.map(async ({ kind, name, desired }) => {
      const rk = KINDS[kind];
      const actual = lookup(kind, ns, name);
      const path = objectPath(rk, ns, name);
      if (!desired) {
        if (!actual) return;
        await client.delete(path).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
        result.deleted++;
        return;
      }
      const wanted = withDesiredHash(desired);
      if (isUpToDate(actual, wanted)) return;
      try {
        await client.apply(path, wanted);
      } catch (err) {
        // 404 on an apply means the resource type itself is unknown to the server.
        if (isNotFound(err)) throw new KindNotInstalledError(rk);
        throw err;
      }
      result.applied++;
    }),
  );
  return result;
}
