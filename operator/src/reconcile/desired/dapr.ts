/** The tenant's Dapr Components, each scoped to the tenant's app id so no other app can use them. */
import { type ApiEnvVariable, subscriptionPubsubName, TOPICS, type TopicKey } from '@todo/contract';
import type { TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';
import { encodeSecretData } from '../../kube/secret-data.js';
import { appId, childMeta, childNames } from './meta.js';
import { APP_TOKEN_KEY } from './workload.js';

/**
 * `<name>-statestore` is rendered only for a TodoApp annotated with this set to "true", and then the API keeps the
 * assistant's conversations there (STATESTORE_NAME); otherwise they stay in the API's own database. Opt-in: the
 * component opens a PostgreSQL pool and migrates tables in the tenant's database, and its sidecar fails to start
 * when that database refuses it.
 */
export const STATESTORE_ANNOTATION = 'tenancy.todo.dev/dapr-statestore';

type MetadataItem =
  | { name: string; value: string }
  | { name: string; secretKeyRef: { name: string; key: string } };

const component = (app: TodoApp, name: string, type: string, metadata: MetadataItem[]): KubeObject => ({
  apiVersion: 'dapr.io/v1alpha1',
  kind: 'Component',
  metadata: childMeta(app, name),
  spec: { type, version: 'v1', metadata },
  // A secret is resolved by the sidecar through the tenant's own store, as the pod's ServiceAccount (identity.ts).
  ...(metadata.some((m) => 'secretKeyRef' in m)
    ? { auth: { secretStore: childNames(app).secretstore } }
    : {}),
  scopes: [appId(app)],
});

/** Dapr's names for the SASL mechanisms (components-contrib kafka/auth.go; anything else is PLAIN). */
const DAPR_SASL_MECHANISM = {
  'SCRAM-SHA-256': 'SHA-256',
  'SCRAM-SHA-512': 'SHA-512',
  PLAIN: 'PLAINTEXT',
} as const;

/**
 * TLS and SASL as pubsub.kafka reads them: `authType` password for SASL (over TLS unless `disableTls`),
 * certificate for TLS with a CA and no SASL (the CRD requires the CA then: under `none` Dapr turns TLS off).
 */
export function kafkaAuthMetadata(app: TodoApp): MetadataItem[] {
  const { tls, sasl } = app.spec.kafka;
  const tlsOn = tls?.enabled ?? false;
  const items: MetadataItem[] = [];
  if (sasl) {
    const ref = (key: string) => ({ secretKeyRef: { name: sasl.secretRef.name, key } });
    items.push(
      { name: 'authType', value: 'password' },
      { name: 'saslUsername', ...ref('username') },
      { name: 'saslPassword', ...ref('password') },
      { name: 'saslMechanism', value: DAPR_SASL_MECHANISM[sasl.mechanism] },
    );
  } else items.push({ name: 'authType', value: tlsOn ? 'certificate' : 'none' });
  if (tls?.caSecretRef) items.push({ name: 'caCert', secretKeyRef: { ...tls.caSecretRef } });
  items.push({ name: 'disableTls', value: String(!tlsOn) });
  return items;
}

/**
 * `<name>-pubsub` (every publish, and task events) and one more per other subscribed topic: daprd's Kafka component
 * delivers bulks under one mutex per component, one at a time (docs/events.md).
 */
export function pubsubComponentNames(app: TodoApp): string[] {
  const pubsub = childNames(app).pubsub;
  return [...new Set((Object.keys(TOPICS) as TopicKey[]).map((key) => subscriptionPubsubName(pubsub, key)))];
}

/**
 * The Kafka consumer group of one pubsub component: `<namespace>.<name>` for `<name>-pubsub` (task events),
 * `<namespace>.<name>.<topic>` for the component of another topic. The replicas of a tenant share each group
 * (they split its partitions), tenants never share one. A group per component, not one per tenant: members of
 * one group all rejoin whenever any member comes or goes, and a member busy with a delivery holds that up to
 * the rebalance timeout; with three components per pod in one group, a pod lost stalled every topic's
 * consumption for over a minute (the reminders' end-to-end test under load).
 */
export function consumerGroupOf(app: TodoApp, componentName: string): string {
  const base = `${app.metadata.namespace}.${app.metadata.name}`;
  const pubsub = childNames(app).pubsub;
  return componentName === pubsub ? base : `${base}.${componentName.slice(pubsub.length + 1)}`;
}

/** pubsub.kafka (pubsubComponentNames), secretstores.kubernetes and, when annotated (see above), state.postgresql; none without Dapr. */
export function desiredDaprComponents(app: TodoApp): KubeObject[] {
  if (!app.spec.dapr.enabled) return [];
  const names = childNames(app);
  const { kafka } = app.spec;
  const components = pubsubComponentNames(app).map((name) =>
    component(app, name, 'pubsub.kafka', [
      { name: 'brokers', value: kafka.brokers.join(',') },
      { name: 'consumerGroup', value: consumerGroupOf(app, name) },
      { name: 'clientID', value: appId(app) },
      // A group with no committed offset (a new tenant, or offsets expired by the broker) starts at the oldest
      // record: under Dapr's default, newest, what was published before the sidecars joined is never delivered.
      { name: 'initialOffset', value: 'oldest' },
      ...kafkaAuthMetadata(app),
    ]),
  );
  if (app.metadata.annotations?.[STATESTORE_ANNOTATION] === 'true') {
    components.push(
      component(app, names.statestore, 'state.postgresql', [
        {
          name: 'connectionString',
          secretKeyRef: { name: names.secret, key: 'DATABASE_URL' satisfies ApiEnvVariable },
        },
        { name: 'tableName', value: 'dapr_state' },
      ]),
    );
  }
  components.push(component(app, names.secretstore, 'secretstores.kubernetes', []));
  return components;
}

/**
 * How the sidecar retries handing an event to the app (answered RETRY, a non-2xx, or no answer): exponential
 * backoff from Dapr's 0.5 s (x1.5, +-50 %), at most 8 s apart, 6 retries, so about 10 s in all. Then it gives the
 * event to the subscription's dead-letter topic and moves on: a poison event holds up its partition that long, not
 * for ever. 7 attempts leave the API room to set aside, itself, an event that fails for an unknown reason (its
 * consumers do after 5, answering DROP). What it answers RETRY for to the end is its database being unreachable,
 * which the sidecar's health check (APP_HEALTH_CHECK in workload.ts) turns into paused deliveries instead.
 */
export const DELIVERY_RETRY = { policy: 'exponential', maxInterval: '8s', maxRetries: 6 } as const;

/**
 * The tenant's Resiliency: DELIVERY_RETRY on the inbound side of its pubsub components (deliveries to the app), for
 * its app id only. Without it the sidecar does not retry a delivery at all before the dead-letter topic.
 */
export function desiredResiliency(app: TodoApp): KubeObject | undefined {
  if (!app.spec.dapr.enabled) return undefined;
  const names = childNames(app);
  return {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Resiliency',
    metadata: childMeta(app, names.resiliency),
    spec: {
      policies: { retries: { delivery: { ...DELIVERY_RETRY } } },
      targets: {
        components: Object.fromEntries(
          pubsubComponentNames(app).map((name) => [name, { inbound: { retry: 'delivery' } }]),
        ),
      },
    },
    scopes: [appId(app)],
  };
}

/**
 * Secret `<name>-dapr-api`: the token the sidecar requires on every call to its API (`dapr.io/api-token-secret`),
 * and the API sends (DAPR_API_TOKEN). Its own Secret because the injector reads the key `token` from both Secrets.
 * None without Dapr.
 */
export function desiredDaprApiTokenSecret(app: TodoApp, token: string): KubeObject | undefined {
  if (!app.spec.dapr.enabled) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMeta(app, childNames(app).daprApiToken),
    type: 'Opaque',
    // The injector reads the same key as from the app token's Secret.
    data: encodeSecretData({ [APP_TOKEN_KEY]: token }),
  };
}
