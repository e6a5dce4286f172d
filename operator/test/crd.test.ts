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
