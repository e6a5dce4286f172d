/** Names, labels and owner references shared by every child of a TodoApp (the contract fixes the names). */
import { API_VERSION, KIND, type TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';

export const MANAGED_BY = 'todo-operator';
export const APP_PORT = 8080;
/** The port of the `<name>-api` Service, which Ingress and HTTPRoute send traffic to. */
export const SERVICE_PORT = 80;

export const childNames = (app: TodoApp) => {
  const n = app.metadata.name;
  return {
    api: `${n}-api`,
    /** The pods' ServiceAccount, and the Role and RoleBinding that let it read the tenant's own Secrets. */
    serviceAccount: `${n}-api`,
    secret: `${n}-app`,
    /** The sidecar's Dapr API token (dapr.ts). */
    daprApiToken: `${n}-dapr-api`,
    config: `${n}-config`,
    ingress: n,
    httpRoute: n,
    pubsub: `${n}-pubsub`,
    statestore: `${n}-statestore`,
    secretstore: `${n}-secretstore`,
    resiliency: `${n}-resiliency`,
  };
};

export const appId = (app: TodoApp): string => app.spec.dapr.appId ?? `${app.metadata.name}-todo`;

/** Selects the API pods of one tenant; a subset of `labels()` so it never changes under a running Deployment. */
export function selectorLabels(app: TodoApp): Record<string, string> {
  return { 'app.kubernetes.io/name': 'todo-api', 'app.kubernetes.io/instance': app.metadata.name };
}

export function labels(app: TodoApp): Record<string, string> {
  return {
    ...selectorLabels(app),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'tenancy.todo.dev/todoapp': app.metadata.name,
  };
}

/** Metadata of a child: namespaced with the TodoApp, labelled, and controlled by it. */
export function childMeta(app: TodoApp, name: string): KubeObject['metadata'] {
  return {
    name,
    namespace: app.metadata.namespace,
    labels: labels(app),
    ownerReferences: [
      {
        apiVersion: API_VERSION,
        kind: KIND,
        name: app.metadata.name,
        uid: app.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
}
