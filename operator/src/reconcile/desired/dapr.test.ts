import { describe, expect, it } from 'vitest';
import { todoApp } from '../../../test/support/app.js';
import { desiredDaprComponents } from './dapr.js';

type Component = {
  metadata: { name: string };
  spec: { type: string; metadata: { name: string; value?: string; secretKeyRef?: unknown }[] };
  scopes: string[];
};
const components = (app = todoApp()) => desiredDaprComponents(app) as unknown as Component[];
const meta = (c: Component | undefined, name: string) => c?.spec.metadata.find((m) => m.name === name);

describe('desiredDaprComponents', () => {
  it('renders pubsub.kafka, state.postgresql and secretstores.kubernetes under the contract names', () => {
    expect(components().map((c) => [c.metadata.name, c.spec.type])).toEqual([
      ['acme-pubsub', 'pubsub.kafka'],
      ['acme-statestore', 'state.postgresql'],
      ['acme-secretstore', 'secretstores.kubernetes'],
    ]);
  });

  it('scopes every component to the tenant app id', () => {
    expect(components(todoApp('acme', { dapr: { appId: 'acme-x' } })).map((c) => c.scopes)).toEqual([
      ['acme-x'],
      ['acme-x'],
      ['acme-x'],
    ]);
  });

  it('gives each tenant its own consumer group and the spec brokers', () => {
    const [pubsub] = components(todoApp('acme', { kafka: { brokers: ['k1:9092', 'k2:9092'] } }));
    expect(meta(pubsub, 'brokers')?.value).toBe('k1:9092,k2:9092');
    expect(meta(pubsub, 'consumerGroup')?.value).toBe('tenants.acme');
    expect(meta(pubsub, 'authType')?.value).toBe('none');
  });

  it('reads the state store connection string from the tenant Secret, never inline', () => {
    const statestore = components()[1];
    expect(meta(statestore, 'connectionString')).toEqual({
      name: 'connectionString',
      secretKeyRef: { name: 'acme-app', key: 'DATABASE_URL' },
    });
  });

  it('renders nothing when Dapr is disabled', () => {
    expect(desiredDaprComponents(todoApp('acme', { dapr: { enabled: false } }))).toEqual([]);
  });
});
