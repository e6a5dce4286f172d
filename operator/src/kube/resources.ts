/** The kinds the operator reads or writes, and how their REST paths are formed. */
export interface ResourceKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

const kind = (group: string, version: string, k: string, plural: string): ResourceKind => ({
  group,
  version,
  kind: k,
  plural,
});

export const KINDS = {
  todoApp: kind('tenancy.todo.dev', 'v1alpha1', 'TodoApp', 'todoapps'),
  deployment: kind('apps', 'v1', 'Deployment', 'deployments'),
  service: kind('', 'v1', 'Service', 'services'),
  secret: kind('', 'v1', 'Secret', 'secrets'),
  configMap: kind('', 'v1', 'ConfigMap', 'configmaps'),
  ingress: kind('networking.k8s.io', 'v1', 'Ingress', 'ingresses'),
  httpRoute: kind('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes'),
  daprComponent: kind('dapr.io', 'v1alpha1', 'Component', 'components'),
  daprResiliency: kind('dapr.io', 'v1alpha1', 'Resiliency', 'resiliencies'),
  serviceAccount: kind('', 'v1', 'ServiceAccount', 'serviceaccounts'),
  role: kind('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  roleBinding: kind('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  event: kind('', 'v1', 'Event', 'events'),
  lease: kind('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  crd: kind('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions'),
} as const;

export function apiVersionOf(k: ResourceKind): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

/** `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise; all namespaces when none is given. */
export function collectionPath(k: ResourceKind, namespace?: string): string {
  const root = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${k.plural}`
    : `${root}/${k.plural}`;
}

export function objectPath(k: ResourceKind, namespace: string | undefined, name: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`;
}
