/** The CRD: generated from the one definition, and refusing invalid specs at admission with readable messages. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoApp } from '../src/crd/todoapp.js';
import { GENERATED_FILES } from '../src/generated-files.js';
import { KubeApiError } from '../src/kube/errors.js';
import { KINDS, objectPath } from '../src/kube/resources.js';
import { type Cluster, createNamespace, installCrds, repoFile, useCluster } from './support/cluster.js';
import { aTodoApp, createTodoApp, patchSpec } from './support/todoapp.js';

describe('generated files', () => {
  it.each(GENERATED_FILES.map((f) => [f.path, f]))(
    '%s matches its TypeScript definition (run `npm run generate -w operator`)',
    async (path, file) => {
      expect(await readFile(repoFile(path), 'utf8')).toBe(file.render());
    },
  );
});

const NS = 'crd-checks';
const BROKERS = ['kafka.example:9092'];
let cluster: Cluster;

beforeAll(async () => {
  cluster = await useCluster();
  await installCrds(cluster.admin);
  await createNamespace(cluster.admin, NS);
});
afterAll(() => cluster?.access.stop());

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KubeApiError);
  expect((err as KubeApiError).status).toBe(422);
  return (err as KubeApiError).message;
}

describe('admission of a TodoApp', () => {
  it('fills in the documented defaults', async () => {
    const app = await createTodoApp(cluster.admin, aTodoApp(NS, 'defaults', BROKERS));
    expect(app.spec).toMatchObject({
      replicas: 1,
      deletionPolicy: 'Retain',
      dapr: { enabled: true, logLevel: 'info' },
      reminders: { backend: 'database' },
      kafka: { partitions: 3, replicationFactor: 1 },
      database: { secretRef: { key: 'url' } },
    });
  });

  it.each([
    ['no image', { image: undefined }, 'spec.image: Required value'],
    [
      'replicas above 50',
      { replicas: 51 },
      'spec.replicas: Invalid value: 51: spec.replicas in body should be less than or equal to 50',
    ],
    [
      'both secretRef and managed',
      { database: { secretRef: { name: 'x' }, managed: {} } },
      'database needs exactly one of secretRef or managed',
    ],
    ['neither secretRef nor managed', { database: {} }, 'database needs exactly one of secretRef or managed'],
    ['an unknown deletion policy', { deletionPolicy: 'Orphan' }, 'supported values: "Retain", "Delete"'],
    [
      'dapr-jobs reminders without Dapr',
      { dapr: { enabled: false }, reminders: { backend: 'dapr-jobs' } },
      'reminders.backend dapr-jobs needs dapr.enabled',
    ],
    ['a broker without a port', { kafka: { brokers: ['kafka'] } }, 'spec.kafka.brokers[0]'],
    [
      'a topic prefix longer than the API accepts (100)',
      { kafka: { topicPrefix: 'p'.repeat(101) } },
      'spec.kafka.topicPrefix: Too long: may not be more than 100',
    ],
    [
      'a Dapr app id too long for the sidecar Service <appId>-dapr',
      { dapr: { appId: 'a'.repeat(59) } },
      'spec.dapr.appId: Too long: may not be more than 58',
    ],
    [
      'TLS with neither a CA nor SASL, which Dapr cannot connect with',
      { kafka: { tls: { enabled: true } } },
      'kafka.tls.enabled without kafka.sasl needs kafka.tls.caSecretRef',
    ],
    [
      'a CA with TLS off',
      { kafka: { tls: { enabled: false, caSecretRef: { name: 'ca' } } } },
      'kafka.tls.caSecretRef needs kafka.tls.enabled',
    ],
    [
      'a SASL mechanism Dapr does not offer',
      { kafka: { sasl: { mechanism: 'GSSAPI', secretRef: { name: 'u' } } } },
      'supported values: "SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"',
    ],
    [
      'SASL without its Secret',
      { kafka: { sasl: { mechanism: 'PLAIN' } } },
      'spec.kafka.sasl.secretRef: Required value',
    ],
    [
      'SASL without Dapr, which the API alone cannot do',
      { dapr: { enabled: false }, kafka: { sasl: { mechanism: 'PLAIN', secretRef: { name: 'u' } } } },
      'kafka.tls and kafka.sasl need dapr.enabled',
    ],
    [
      'TLS without Dapr',
      { dapr: { enabled: false }, kafka: { tls: { enabled: true, caSecretRef: { name: 'ca' } } } },
      'kafka.tls and kafka.sasl need dapr.enabled',
    ],
    [
      'a CPU request that is not a quantity',
      { resources: { requests: { cpu: 'lots' } } },
      'spec.resources.requests.cpu',
    ],
    [
      'a sidecar memory limit that is not a quantity',
      { dapr: { sidecarResources: { limits: { memory: '1 GB' } } } },
      'spec.dapr.sidecarResources.limits.memory',
    ],
    [
      'a sidecar CPU request above its limit',
      { dapr: { sidecarResources: { requests: { cpu: 2 }, limits: { cpu: '1500m' } } } },
      'spec.dapr.sidecarResources: Invalid value: "object": the cpu request may not exceed the cpu limit',
    ],
    [
      'a memory request above its limit',
      { resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } },
      'spec.resources: Invalid value: "object": the memory request may not exceed the memory limit',
    ],
    ['a gateway with no Gateway to attach to', { gateway: { parentRefs: [] } }, 'spec.gateway.parentRefs'],
    [
      'a gateway host name with a port, which an HTTPRoute refuses',
      { gateway: { parentRefs: [{ name: 'public' }], hostnames: ['acme.example.com:443'] } },
      'spec.gateway.hostnames[0]',
    ],
    [
      'an image pull secret without a name',
      { imagePullSecrets: [{}] },
      'spec.imagePullSecrets[0].name: Required value',
    ],
  ])('refuses %s with a message naming the rule', async (_, spec, message) => {
    const manifest = aTodoApp(NS, 'invalid', BROKERS, spec as never);
    if ('image' in spec) delete (manifest.spec as Partial<typeof manifest.spec>).image;
    expect(await refusal(createTodoApp(cluster.admin, manifest))).toContain(message);
  });

  const NAME_RULE =
    "metadata.name must be at most 53 lower-case letters, digits and '-', starting with a letter (no dots)";

  it.each([
    ['a dot, which the API refuses in PUBSUB_NAME', 'acme.prod'],
    ['54 characters, one more than the Dapr app id <name>-todo allows', `a${'b'.repeat(53)}`],
    ['a leading digit, which a Service name may not have', '1acme'],
  ])('refuses a name with %s', async (_, name) => {
    expect(await refusal(createTodoApp(cluster.admin, aTodoApp(NS, name, BROKERS)))).toContain(NAME_RULE);
  });

  it.each<[string, string, { tls?: { enabled: boolean; caSecretRef?: object }; sasl?: object }]>([
    ['TLS with a CA, its key defaulted', 'tls-ca', { tls: { enabled: true, caSecretRef: { name: 'ca' } } }],
    [
      'SCRAM over TLS on the system roots',
      'scram-tls',
      { tls: { enabled: true }, sasl: { mechanism: 'SCRAM-SHA-512', secretRef: { name: 'u' } } },
    ],
    ['PLAIN without TLS', 'plain', { sasl: { mechanism: 'PLAIN', secretRef: { name: 'u' } } }],
    ['TLS off', 'tls-off', { tls: { enabled: false } }],
  ])('admits Kafka %s', async (_, name, kafka) => {
    const app = await createTodoApp(cluster.admin, aTodoApp(NS, name, BROKERS, { kafka: kafka as never }));
    expect(app.spec.kafka).toMatchObject(kafka);
    if (kafka.tls?.caSecretRef) expect(app.spec.kafka.tls?.caSecretRef?.key).toBe('ca.crt');
  });

  it('admits resources as integers or quantity strings, sidecar resources and image pull secrets', async () => {
    const spec = {
      imagePullSecrets: [{ name: 'ghcr' }],
      // Equal is within the limit, whatever the notation.
      resources: { requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: '1.5', memory: '1024Mi' } },
      dapr: { sidecarResources: { requests: { cpu: '50m' }, limits: { memory: '128Mi' } } },
    };
    const app = await createTodoApp(cluster.admin, aTodoApp(NS, 'sized', BROKERS, spec as never));
    expect(app.spec).toMatchObject(spec);
  });

  it('admits a gateway route to listeners of Gateways in other namespaces, with wildcard host names', async () => {
    const gateway = {
      parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }, { name: 'internal' }],
      hostnames: ['acme.example.com', '*.acme.example.com'],
    };
    const app = await createTodoApp(cluster.admin, aTodoApp(NS, 'routed', BROKERS, { gateway }));
    expect(app.spec.gateway).toEqual(gateway);
  });

  it('admits the longest name and the longest topic prefix the API runs with', async () => {
    const name = `a${'b'.repeat(52)}`;
    const app = await createTodoApp(
      cluster.admin,
      aTodoApp(NS, name, BROKERS, { kafka: { topicPrefix: 'p'.repeat(100) } }),
    );
    expect(app.metadata.name).toHaveLength(53);
  });

  it('refuses fewer partitions and a new topic prefix on update, and keeps the stored spec', async () => {
    await createTodoApp(cluster.admin, aTodoApp(NS, 'grown', BROKERS, { kafka: { partitions: 6 } }));
    expect(await refusal(patchSpec(cluster.admin, NS, 'grown', { kafka: { partitions: 4 } }))).toContain(
      'kafka.partitions may not decrease',
    );
    expect(
      await refusal(patchSpec(cluster.admin, NS, 'grown', { kafka: { topicPrefix: 'other' } })),
    ).toContain('kafka.topicPrefix is immutable');
    const stored = await cluster.admin.get<TodoApp>(objectPath(KINDS.todoApp, NS, 'grown'));
    expect(stored.spec.kafka).toMatchObject({ partitions: 6, topicPrefix: `${NS}-grown` });
  });
});
