/**
 * The permissions the operator needs, and nothing more. The chart's RBAC template is generated from this
 * (npm run generate -w operator) and the least-privilege test runs the operator with exactly the chart's rules.
 */
import { GROUP, PLURAL } from '../crd/todoapp.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const manage = ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'];

/** Cluster-wide: TodoApps live in any namespace, and so do their children. */
export const CLUSTER_RULES: PolicyRule[] = [
  { apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ['get', 'patch', 'update'] },
  // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
  { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ['update'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: manage },
  { apiGroups: [''], resources: ['services', 'secrets', 'configmaps', 'serviceaccounts'], verbs: manage },
  // Each tenant's pods get a Role reading its own Secrets. No `escalate` or `bind`: the API server lets the
  // operator grant only what it holds itself (it reads Secrets), so it cannot hand out anything more.
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: manage },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: manage },
  // Reading an HTTPRoute's status needs no status permission: the Gateway controller writes it, we only watch.
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: manage },
  { apiGroups: ['dapr.io'], resources: ['components', 'resiliencies'], verbs: manage },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** In the operator's own namespace only: the leader-election Lease. */
export const NAMESPACE_RULES: PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];
