/** Gateway API routing: the HTTPRoute `<name>` that sends a Gateway's traffic for the tenant to its API Service. */
import type { TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';
import { childMeta, childNames, SERVICE_PORT } from './meta.js';

/** The HTTPRoute when the spec asks for one, else undefined (and an existing one is pruned). */
export function desiredHttpRoute(app: TodoApp): KubeObject | undefined {
  const gateway = app.spec.gateway;
  if (!gateway) return undefined;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: childMeta(app, childNames(app).httpRoute),
    spec: {
      // Group and kind default to a Gateway's.
      parentRefs: gateway.parentRefs,
      ...(gateway.hostnames?.length ? { hostnames: gateway.hostnames } : {}),
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: childNames(app).api, port: SERVICE_PORT }],
        },
      ],
    },
  };
}
