import type { V1Deployment } from '@kubernetes/client-node';
import { loadConfig, subscriptionPubsubName, TOPICS, type TopicKey } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import type { TodoApp } from '../../crd/todoapp.js';
import { secretValue } from '../../kube/secret-data.js';
import { defaultedTodoApp } from '../../testing/index.js';
import { apiEnvironment } from './api-environment.js';
import {
  DELIVERY_RETRY,
  desiredDaprApiTokenSecret,
  desiredDaprComponents,
  desiredResiliency,
  STATESTORE_ANNOTATION,
} from './dapr.js';
import { desiredConfigMap, desiredDeployment, desiredSecret } from './workload.js';

type Item = { name: string; value?: string; secretKeyRef?: { name: string; key: string } };
type Component = {
  metadata: { name: string };
  spec: { type: string; metadata: Item[] };
  auth?: { secretStore: string };
  scopes: string[];
};
const components = (app = defaultedTodoApp()) => desiredDaprComponents(app) as unknown as Component[];
const named = (app: TodoApp, name: string) => components(app).find((c) => c.metadata.name === name);
const meta = (c: Component | undefined, name: string) => c?.spec.metadata.find((m) => m.name === name);
const withStateStore = (app = defaultedTodoApp()): TodoApp => ({
  ...app,
  metadata: { ...app.metadata, annotations: { [STATESTORE_ANNOTATION]: 'true' } },
});

describe('desiredDaprComponents', () => {
  it('renders pubsub.kafka and secretstores.kubernetes under the contract names', () => {
    expect(components().map((c) => [c.metadata.name, c.spec.type])).toEqual([
      ['acme-pubsub', 'pubsub.kafka'],
      ['acme-pubsub-reminders', 'pubsub.kafka'],
      ['acme-pubsub-task-updates', 'pubsub.kafka'],
      ['acme-secretstore', 'secretstores.kubernetes'],
    ]);
  });

  it('renders a pubsub component for every subscription the API declares, each with the same metadata but its consumer group', () => {
    // The API names its subscriptions' components from its PUBSUB_NAME with the contract's rule.
    const subscribed = (Object.keys(TOPICS) as TopicKey[]).map((k) =>
      subscriptionPubsubName('acme-pubsub', k),
    );
    const pubsubs = components().filter((c) => c.spec.type === 'pubsub.kafka');
    expect(pubsubs.map((c) => c.metadata.name).sort()).toEqual([...new Set(subscribed)].sort());
    const withoutGroup = (c: (typeof pubsubs)[number]) =>
      JSON.stringify(c.spec.metadata.filter((m: { name: string }) => m.name !== 'consumerGroup'));
    expect(new Set(pubsubs.map(withoutGroup)).size).toBe(1);
  });

  it('scopes every component to the tenant app id', () => {
    const app = withStateStore(defaultedTodoApp('acme', { dapr: { appId: 'acme-x' } }));
    expect(components(app).map((c) => c.scopes)).toEqual(Array(5).fill(['acme-x']));
  });

  it('gives each pubsub component of each tenant its own consumer group, and the spec brokers', () => {
    const pubsubs = components(
      defaultedTodoApp('acme', { kafka: { brokers: ['k1:9092', 'k2:9092'] } }),
    ).filter((c) => c.spec.type === 'pubsub.kafka');
    expect(pubsubs.map((c) => [c.metadata.name, meta(c, 'consumerGroup')?.value])).toEqual([
      ['acme-pubsub', 'tenants.acme'],
      ['acme-pubsub-reminders', 'tenants.acme.reminders'],
      ['acme-pubsub-task-updates', 'tenants.acme.task-updates'],
    ]);
    for (const c of pubsubs) {
      expect(meta(c, 'brokers')?.value).toBe('k1:9092,k2:9092');
      expect(meta(c, 'initialOffset')?.value).toBe('oldest');
    }
  });

  it('renders nothing when Dapr is disabled', () => {
    expect(desiredDaprComponents(defaultedTodoApp('acme', { dapr: { enabled: false } }))).toEqual([]);
  });
});

describe('the state store', () => {
  it.each([
    ['no annotation', undefined],
    ['the annotation set to something else', 'yes'],
  ])('is not rendered with %s: the API does not use it yet', (_, value) => {
    const app = defaultedTodoApp();
    app.metadata.annotations = value ? { [STATESTORE_ANNOTATION]: value } : undefined;
    expect(named(app, 'acme-statestore')).toBeUndefined();
  });

  it(`is state.postgresql reading the tenant Secret through the tenant store with ${STATESTORE_ANNOTATION}: "true"`, () => {
    const statestore = named(withStateStore(), 'acme-statestore');
    expect(statestore?.spec.type).toBe('state.postgresql');
    expect(meta(statestore, 'connectionString')).toEqual({
      name: 'connectionString',
      secretKeyRef: { name: 'acme-app', key: 'DATABASE_URL' },
    });
    expect(statestore?.auth).toEqual({ secretStore: 'acme-secretstore' });
  });
});

const ref = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe('Kafka TLS and SASL in the pubsub component', () => {
  it.each<[string, Partial<TodoApp['spec']['kafka']>, Record<string, unknown>]>([
    ['neither', {}, { authType: { value: 'none' }, disableTls: { value: 'true' } }],
    [
      'TLS with a CA (Redpanda chart default)',
      { tls: { enabled: true, caSecretRef: { name: 'redpanda-ca', key: 'ca.crt' } } },
      {
        authType: { value: 'certificate' },
        caCert: ref('redpanda-ca', 'ca.crt'),
        disableTls: { value: 'false' },
      },
    ],
    [
      'SCRAM-SHA-512 over TLS, system roots',
      { tls: { enabled: true }, sasl: { mechanism: 'SCRAM-SHA-512', secretRef: { name: 'kafka-user' } } },
      {
        authType: { value: 'password' },
        saslUsername: ref('kafka-user', 'username'),
        saslPassword: ref('kafka-user', 'password'),
        saslMechanism: { value: 'SHA-512' },
        disableTls: { value: 'false' },
        caCert: undefined,
      },
    ],
    [
      'SCRAM-SHA-256 over TLS with a CA',
      {
        tls: { enabled: true, caSecretRef: { name: 'ca', key: 'pem' } },
        sasl: { mechanism: 'SCRAM-SHA-256', secretRef: { name: 'u' } },
      },
      { authType: { value: 'password' }, saslMechanism: { value: 'SHA-256' }, caCert: ref('ca', 'pem') },
    ],
    [
      'PLAIN without TLS',
      { sasl: { mechanism: 'PLAIN', secretRef: { name: 'u' } } },
      {
        authType: { value: 'password' },
        saslMechanism: { value: 'PLAINTEXT' },
        disableTls: { value: 'true' },
      },
    ],
    [
      'TLS switched off',
      { tls: { enabled: false } },
      { authType: { value: 'none' }, disableTls: { value: 'true' }, caCert: undefined },
    ],
  ])('%s', (_, kafka, expected) => {
    const pubsub = named(defaultedTodoApp('acme', { kafka }), 'acme-pubsub');
    for (const [name, want] of Object.entries(expected)) {
      expect(meta(pubsub, name), name).toEqual(want && { name, ...want });
    }
  });

  it('never inlines a secret: credentials are references resolved through the tenant secret store', () => {
    const app = defaultedTodoApp('acme', {
      kafka: {
        tls: { enabled: true, caSecretRef: { name: 'ca', key: 'ca.crt' } },
        sasl: { mechanism: 'SCRAM-SHA-512', secretRef: { name: 'u' } },
      },
    });
    const pubsub = named(app, 'acme-pubsub');
    for (const name of ['saslUsername', 'saslPassword', 'caCert']) {
      expect(meta(pubsub, name)?.value, name).toBeUndefined();
      expect(meta(pubsub, name)?.secretKeyRef, name).toBeDefined();
    }
    expect(pubsub?.auth).toEqual({ secretStore: 'acme-secretstore' });
  });

  it('names no secret store when it reads no secret', () => {
    expect(named(defaultedTodoApp(), 'acme-pubsub')?.auth).toBeUndefined();
  });
});

describe('desiredResiliency', () => {
  it("retries deliveries of each of the tenant's pubsub components to its app a bounded number of times, with backoff", () => {
    const resiliency = desiredResiliency(defaultedTodoApp('acme', { dapr: { appId: 'acme-x' } }));
    expect(resiliency).toMatchObject({
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Resiliency',
      metadata: { name: 'acme-resiliency', namespace: 'tenants' },
      spec: {
        policies: { retries: { delivery: { policy: 'exponential', maxRetries: 6, maxInterval: '8s' } } },
        targets: {
          components: {
            'acme-pubsub': { inbound: { retry: 'delivery' } },
            'acme-pubsub-reminders': { inbound: { retry: 'delivery' } },
            'acme-pubsub-task-updates': { inbound: { retry: 'delivery' } },
          },
        },
      },
      scopes: ['acme-x'],
    });
  });

  it("gives the API's consumers their own 5 attempts before the sidecar gives up on an event", () => {
    expect(DELIVERY_RETRY.maxRetries + 1).toBeGreaterThanOrEqual(5);
  });

  it('is not rendered without Dapr', () => {
    expect(desiredResiliency(defaultedTodoApp('acme', { dapr: { enabled: false } }))).toBeUndefined();
  });
});

describe('the Dapr API token', () => {
  const app = defaultedTodoApp();
  const secret = desiredDaprApiTokenSecret(app, 'the-dapr-api-token');
  const pod = (desiredDeployment(app, 'sum') as unknown as V1Deployment).spec?.template;

  it('is kept in its own Secret <name>-dapr-api under the key the sidecar injector reads', () => {
    expect(secret?.metadata.name).toBe('acme-dapr-api');
    expect(secret && secretValue(secret, 'token')).toBe('the-dapr-api-token');
  });

  it('reaches the sidecar through dapr.io/api-token-secret and the API as DAPR_API_TOKEN', () => {
    expect(pod?.metadata?.annotations?.['dapr.io/api-token-secret']).toBe('acme-dapr-api');
    const appSecret = desiredSecret(app, {
      jwtSecret: 'j'.repeat(32),
      appToken: 'a',
      databaseUrl: 'postgres://db/x',
    });
    const env = apiEnvironment(desiredDeployment(app, 'sum'), desiredConfigMap(app), appSecret, secret);
    expect(loadConfig(env).DAPR_API_TOKEN).toBe('the-dapr-api-token');
  });

  it('is neither rendered nor given to the API without Dapr', () => {
    const plain = defaultedTodoApp('acme', { dapr: { enabled: false } });
    expect(desiredDaprApiTokenSecret(plain, 't')).toBeUndefined();
    const env = (desiredDeployment(plain, 'sum') as unknown as V1Deployment).spec?.template.spec
      ?.containers[0]?.env;
    expect(env?.map((e) => e.name)).not.toContain('DAPR_API_TOKEN');
  });
});

describe('the app health check', () => {
  const annotations = (app: TodoApp) =>
    (desiredDeployment(app, 'sum') as unknown as V1Deployment).spec?.template.metadata?.annotations ?? {};

  it("has the sidecar probe /readyz every second, pausing deliveries after 2 failures (the API's database down)", () => {
    expect(annotations(defaultedTodoApp())).toMatchObject({
      'dapr.io/enable-app-health-check': 'true',
      'dapr.io/app-health-check-path': '/readyz',
      'dapr.io/app-health-probe-interval': '1',
      'dapr.io/app-health-threshold': '2',
    });
  });

  it('is not annotated without Dapr', () => {
    expect(annotations(defaultedTodoApp('acme', { dapr: { enabled: false } }))).not.toHaveProperty(
      'dapr.io/enable-app-health-check',
    );
  });
});
