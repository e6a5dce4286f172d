/** The tenant's Dapr Components, each scoped to the tenant's app id so no other app can use them. */
import type { ApiEnvVariable } from '@todo/contract';
import type { TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';
import { appId, childMeta, childNames } from './meta.js';

const component = (
  app: TodoApp,
  name: string,
  type: string,
  metadata: unknown[],
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'dapr.io/v1alpha1',
  kind: 'Component',
  metadata: childMeta(app, name),
  spec: { type, version: 'v1', metadata },
  ...extra,
  scopes: [appId(app)],
});

/** pubsub.kafka, state.postgresql and secretstores.kubernetes; none when Dapr is disabled. */
export function desiredDaprComponents(app: TodoApp): KubeObject[] {
  if (!app.spec.dapr.enabled) return [];
  const names = childNames(app);
  const { kafka } = app.spec;
  return [
    component(app, names.pubsub, 'pubsub.kafka', [
      { name: 'brokers', value: kafka.brokers.join(',') },
      // One consumer group per tenant: replicas share the work, tenants never steal each other's events.
      { name: 'consumerGroup', value: `${app.metadata.namespace}.${app.metadata.name}` },
      { name: 'clientID', value: appId(app) },
      { name: 'authType', value: 'none' },
      { name: 'disableTls', value: 'true' },
    ]),
    component(
      app,
      names.statestore,
      'state.postgresql',
      [
        {
          name: 'connectionString',
          secretKeyRef: { name: names.secret, key: 'DATABASE_URL' satisfies ApiEnvVariable },
        },
        { name: 'tableName', value: 'dapr_state' },
      ],
      { auth: { secretStore: names.secretstore } },
    ),
    component(app, names.secretstore, 'secretstores.kubernetes', []),
  ];
}
