/**
 * The pods' identity: ServiceAccount `<name>-api`, and a Role and RoleBinding letting it `get` exactly the Secrets
 * the tenant's Dapr Components read through its own secret store (`secretstores.kubernetes` runs in the sidecar,
 * as the pod's ServiceAccount, so without them the sidecar cannot start outside `default`).
 */
import type { TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';
import { childMeta, childNames } from './meta.js';

interface ComponentMetadataItem {
  secretKeyRef?: { name: string };
}

/** The names of the Secrets the Components resolve through the tenant's secret store, sorted, each once. */
export function secretsReadThroughStore(app: TodoApp, components: KubeObject[]): string[] {
  const store = childNames(app).secretstore;
  const names = new Set<string>();
  for (const c of components) {
    if ((c.auth as { secretStore?: string } | undefined)?.secretStore !== store) continue;
    const items = (c.spec as { metadata: ComponentMetadataItem[] }).metadata;
    for (const item of items) if (item.secretKeyRef) names.add(item.secretKeyRef.name);
  }
  return [...names].sort();
}

export function desiredServiceAccount(app: TodoApp): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: childMeta(app, childNames(app).serviceAccount),
  };
}

/**
 * `get` on the named Secrets only. With none to read the Role has no rules: a rule with an empty `resourceNames`
 * would allow every Secret in the namespace. No rules is no `rules` field, as the API server stores it (an empty
 * list would read as drift on every reconcile); server-side apply then removes rules this manager set before.
 */
export function desiredRole(app: TodoApp, secrets: string[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: childMeta(app, childNames(app).serviceAccount),
    ...(secrets.length
      ? { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: secrets }] }
      : {}),
  };
}

export function desiredRoleBinding(app: TodoApp): KubeObject {
  const name = childNames(app).serviceAccount;
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: childMeta(app, name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: app.metadata.namespace }],
  };
}
