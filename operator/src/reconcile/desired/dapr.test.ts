import { describe, expect, it } from 'vitest';
import { todoApp } from '../../../test/support/app.js';
import type { TodoApp } from '../../crd/todoapp.js';
import { desiredDaprComponents, STATESTORE_ANNOTATION } from './dapr.js';

type Item = { name: string; value?: string; secretKeyRef?: { name: string; key: string } };
type Component = {
  metadata: { name: string };
  spec: { type: string; metadata: Item[] };
  auth?: { secretStore: string };
  scopes: string[];
};
const components = (app = todoApp()) => desiredDaprComponents(app) as unknown as Component[];
const named = (app: TodoApp, name: string) => components(app).find((c) => c.metadata.name === name);
const meta = (c: Component | undefined, name: string) => c?.spec.metadata.find((m) => m.name === name);
const withStateStore = (app = todoApp()): TodoApp => ({
  ...app,
  metadata: { ...app.metadata, annotations: { [STATESTORE_ANNOTATION]: 'true' } },
});

describe('desiredDaprComponents', () => {
  it('renders pubsub.kafka and secretstores.kubernetes under the contract names', () => {
    expect(components().map((c) => [c.metadata.name, c.spec.type])).toEqual([
      ['acme-pubsub', 'pubsub.kafka'],
      ['acme-secretstore', 'secretstores.kubernetes'],
    ]);
  });

  it('scopes every component to the tenant app id', () => {
    const app = withStateStore(todoApp('acme', { dapr: { appId: 'acme-x' } }));
    expect(components(app).map((c) => c.scopes)).toEqual([['acme-x'], ['acme-x'], ['acme-x']]);
  });

  it('gives each tenant its own consumer group and the spec brokers', () => {
    const [pubsub] = components(todoApp('acme', { kafka: { brokers: ['k1:9092', 'k2:9092'] } }));
    expect(meta(pubsub, 'brokers')?.value).toBe('k1:9092,k2:9092');
    expect(meta(pubsub, 'consumerGroup')?.value).toBe('tenants.acme');
    expect(meta(pubsub, 'initialOffset')?.value).toBe('oldest');
  });

  it('renders nothing when Dapr is disabled', () => {
    expect(desiredDaprComponents(todoApp('acme', { dapr: { enabled: false } }))).toEqual([]);
  });
});

describe('the state store', () => {
  it.each([
    ['no annotation', undefined],
    ['the annotation set to something else', 'yes'],
  ])('is not rendered with %s: the API does not use it yet', (_, value) => {
    const app = todoApp();
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
    const pubsub = named(todoApp('acme', { kafka }), 'acme-pubsub');
    for (const [name, want] of Object.entries(expected)) {
      expect(meta(pubsub, name), name).toEqual(want && { name, ...want });
    }
  });

  it('never inlines a secret: credentials are references resolved through the tenant secret store', () => {
    const app = todoApp('acme', {
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
    expect(named(todoApp(), 'acme-pubsub')?.auth).toBeUndefined();
  });
});
