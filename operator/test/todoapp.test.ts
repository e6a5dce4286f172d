/**
 * The operator against a real kube-apiserver, its controller manager and a real Kafka broker. No kubelet runs
 * pods: where a test needs an available Deployment it marks the pods the ReplicaSet made Ready, as a kubelet
 * would, and the deployment controller does the rest.
 */
import type { V1Deployment, V1Ingress } from '@kubernetes/client-node';
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TodoApp } from '../src/crd/todoapp.js';
import type { KubeObject } from '../src/kube/client.js';
import { collectionPath, KINDS, objectPath } from '../src/kube/resources.js';
import { STATESTORE_ANNOTATION } from '../src/reconcile/desired/dapr.js';
import { topicNames } from '../src/reconcile/topics.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import { type Cluster, createSecret, find, useCluster } from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  markPodsReady,
  operateNamespace,
  patchSpec,
  stopSuite,
  writesOfAnotherReconcile,
} from './support/todoapp.js';

const NS = 'tenants';
let cluster: Cluster;
let kafka: KafkaAccess;
let operator: RunningOperator;

const decode = (obj: KubeObject | undefined, key: string) =>
  Buffer.from((obj?.data as Record<string, string> | undefined)?.[key] ?? '', 'base64').toString('utf8');

async function topicPartitions(prefix: string): Promise<Record<string, number>> {
  const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (!names.length) return {};
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    return Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}

/** The Secrets the tenant's Role lets its pods get (none when the Role has no rules). */
async function roleSecrets(): Promise<string[]> {
  const role = await find<KubeObject & { rules?: { resourceNames?: string[] }[] }>(
    cluster.admin,
    'role',
    NS,
    'acme-api',
  );
  return role?.rules?.flatMap((r) => r.resourceNames ?? []) ?? [];
}

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  operator = await operateNamespace(cluster, NS);
});

afterAll(() => stopSuite(operator, cluster?.access, kafka));

describe('a TodoApp', () => {
  it('gets every child with the contract names and content, its topics, and a status', async () => {
    await createSecret(cluster.admin, NS, 'acme-db', { url: 'postgres://acme:pw@db.acme.svc:5432/acme' });
    await createTodoApp(
      cluster.admin,
      aTodoApp(NS, 'acme', kafka.brokers, {
        replicas: 2,
        database: { secretRef: { name: 'acme-db', key: 'url' } },
      }),
    );

    // Settled: the first status may predate the Deployment reaching the cache (reason DeploymentPending).
    const app = await eventually('status settled', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return (
        condition(a, 'TopicsReady')?.status === 'True' &&
        condition(a, 'DatabaseReady')?.status === 'True' &&
        condition(a, 'DeploymentAvailable')?.reason === 'MinimumReplicasUnavailable' &&
        a
      );
    });
    expect(app.status?.topics?.map((t) => t.name).sort()).toEqual([
      'tenants-acme.dead-letters',
      'tenants-acme.reminders',
      'tenants-acme.task-events',
      'tenants-acme.task-updates',
    ]);
    expect(await topicPartitions('tenants-acme')).toEqual({
      'tenants-acme.dead-letters': 3,
      'tenants-acme.reminders': 3,
      'tenants-acme.task-events': 3,
      'tenants-acme.task-updates': 3,
    });
    expect(app.status?.url).toBe('http://acme-api.tenants.svc.cluster.local');
    expect(condition(app, 'DeploymentAvailable')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    expect(condition(app, 'Ready')).toMatchObject({ status: 'False', observedGeneration: 1 });

    const deployment = await find<V1Deployment>(cluster.admin, 'deployment', NS, 'acme-api');
    const pod = deployment?.spec?.template;
    expect(deployment?.spec?.replicas).toBe(2);
    expect(pod?.metadata?.annotations).toMatchObject({
      'dapr.io/enabled': 'true',
      'dapr.io/app-id': 'acme-todo',
      'dapr.io/app-port': '8080',
      'dapr.io/app-token-secret': 'acme-app',
      'dapr.io/api-token-secret': 'acme-dapr-api',
    });
    expect(pod?.spec?.containers[0]?.env).toContainEqual({
      name: 'APP_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'acme-app', key: 'token' } },
    });
    expect(pod?.spec?.containers[0]?.env).toContainEqual({
      name: 'DAPR_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'acme-dapr-api', key: 'token' } },
    });
    expect(pod?.spec?.containers[0]?.envFrom).toEqual([
      { configMapRef: { name: 'acme-config' } },
      { secretRef: { name: 'acme-app' } },
    ]);
    expect(deployment?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'TodoApp',
      name: 'acme',
      controller: true,
    });

    const secret = await find(cluster.admin, 'secret', NS, 'acme-app');
    expect(decode(secret, 'DATABASE_URL')).toBe('postgres://acme:pw@db.acme.svc:5432/acme');
    expect(decode(secret, 'JWT_SECRET').length).toBeGreaterThanOrEqual(32);
    expect(decode(secret, 'token').length).toBeGreaterThanOrEqual(32);
    const daprApiToken = decode(await find(cluster.admin, 'secret', NS, 'acme-dapr-api'), 'token');
    expect(daprApiToken.length).toBeGreaterThanOrEqual(32);
    expect(daprApiToken).not.toBe(decode(secret, 'token'));
    expect(await find(cluster.admin, 'daprResiliency', NS, 'acme-resiliency')).toMatchObject({
      spec: {
        targets: {
          components: {
            'acme-pubsub': { inbound: { retry: 'delivery' } },
            'acme-pubsub-reminders': { inbound: { retry: 'delivery' } },
            'acme-pubsub-task-updates': { inbound: { retry: 'delivery' } },
          },
        },
      },
      scopes: ['acme-todo'],
    });
    const config = await find<KubeObject & { data: Record<string, string> }>(
      cluster.admin,
      'configMap',
      NS,
      'acme-config',
    );
    expect(config?.data).toMatchObject({
      EVENT_BUS: 'dapr',
      PUBSUB_NAME: 'acme-pubsub',
      TOPIC_PREFIX: 'tenants-acme',
      PORT: '8080',
    });
    expect(await find(cluster.admin, 'service', NS, 'acme-api')).toBeDefined();
    expect(pod?.spec?.serviceAccountName).toBe('acme-api');
    for (const kind of ['serviceAccount', 'role', 'roleBinding'] as const) {
      const child = await find(cluster.admin, kind, NS, 'acme-api');
      expect(child?.metadata.ownerReferences?.[0], kind).toMatchObject({ kind: 'TodoApp', name: 'acme' });
    }
    // Nothing reads a Secret through the tenant's store yet, so its Role grants nothing.
    expect(await roleSecrets()).toEqual([]);
    expect(await find(cluster.admin, 'daprComponent', NS, 'acme-statestore')).toBeUndefined();
    for (const name of [
      'acme-pubsub',
      'acme-pubsub-reminders',
      'acme-pubsub-task-updates',
      'acme-secretstore',
    ]) {
      const component = await find<KubeObject & { scopes: string[] }>(
        cluster.admin,
        'daprComponent',
        NS,
        name,
      );
      expect(component?.scopes).toEqual(['acme-todo']);
    }

    await markPodsReady(cluster.admin, NS, 'acme-api', 2);
    const ready = await eventually('Ready', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return condition(a, 'Ready')?.status === 'True' && a;
    });
    expect(ready.status?.readyReplicas).toBe(2);
    // The Event is recorded after the status that says Ready: wait for it, then check it came once.
    const reasons = await eventually('the AllReady event', async () => {
      const events = await cluster.admin.get<{
        items: { reason: string; involvedObject: { name: string } }[];
      }>(collectionPath(KINDS.event, NS));
      const all = events.items.filter((e) => e.involvedObject.name === 'acme').map((e) => e.reason);
      return all.includes('AllReady') && all;
    });
    expect(reasons.filter((r) => r === 'AllReady')).toHaveLength(1);
  });

  it('is left alone by a reconcile when nothing changed: no write request at all', async () => {
    expect(await writesOfAnotherReconcile(operator, NS, 'acme')).toBe(0);
  });

  it('follows spec changes: replicas, image, partitions grow; the JWT secret and both tokens stay the same', async () => {
    const secretBefore = await find(cluster.admin, 'secret', NS, 'acme-app');
    const daprApiBefore = await find(cluster.admin, 'secret', NS, 'acme-dapr-api');
    await patchSpec(cluster.admin, NS, 'acme', {
      replicas: 3,
      image: 'ghcr.io/owner/todo-api:1.1.0',
      kafka: { partitions: 5 },
    });
    await eventually('deployment updated', async () => {
      const d = await find<V1Deployment>(cluster.admin, 'deployment', NS, 'acme-api');
      return (
        d?.spec?.replicas === 3 &&
        d.spec.template.spec?.containers[0]?.image === 'ghcr.io/owner/todo-api:1.1.0'
      );
    });
    await eventually('partitions grown', async () =>
      Object.values(await topicPartitions('tenants-acme')).every((p) => p === 5),
    );
    const app = await eventually('observedGeneration', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return a?.status?.observedGeneration === a?.metadata.generation && a;
    });
    expect(app.status?.topics?.every((t) => t.partitions === 5)).toBe(true);
    const secretAfter = await find(cluster.admin, 'secret', NS, 'acme-app');
    expect(decode(secretAfter, 'JWT_SECRET')).toBe(decode(secretBefore, 'JWT_SECRET'));
    expect(decode(secretAfter, 'token')).toBe(decode(secretBefore, 'token'));
    const daprApiAfter = await find(cluster.admin, 'secret', NS, 'acme-dapr-api');
    expect(decode(daprApiAfter, 'token')).toBe(decode(daprApiBefore, 'token'));
  });

  it('sizes the pods and pulls the image as the spec says: resources, sidecar resources, imagePullSecrets', async () => {
    await patchSpec(cluster.admin, NS, 'acme', {
      imagePullSecrets: [{ name: 'ghcr' }],
      resources: { requests: { cpu: 1, memory: '256Mi' }, limits: { memory: '1Gi' } },
      dapr: { sidecarResources: { requests: { cpu: '100m' }, limits: { memory: '128Mi' } } },
    });
    const pod = await eventually('deployment sized', async () => {
      const d = await find<V1Deployment>(cluster.admin, 'deployment', NS, 'acme-api');
      return d?.spec?.template.spec?.imagePullSecrets?.length === 1 && d.spec.template;
    });
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: 'ghcr' }]);
    expect(pod.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '1', memory: '256Mi' },
      limits: { memory: '1Gi' },
    });
    const sidecar = Object.entries(pod.metadata?.annotations ?? {}).filter(([k]) =>
      k.startsWith('dapr.io/sidecar-'),
    );
    expect(Object.fromEntries(sidecar)).toEqual({
      'dapr.io/sidecar-cpu-request': '100m',
      'dapr.io/sidecar-memory-limit': '128Mi',
    });
  });

  it('puts back a deleted child and undoes an edit to one', async () => {
    await cluster.admin.delete(objectPath(KINDS.service, NS, 'acme-api'));
    await cluster.admin.delete(objectPath(KINDS.roleBinding, NS, 'acme-api'));
    await cluster.admin.mergePatch(objectPath(KINDS.configMap, NS, 'acme-config'), {
      data: { EVENT_BUS: 'memory' },
    });
    await eventually('service recreated', () => find(cluster.admin, 'service', NS, 'acme-api'), 15_000);
    await eventually('binding recreated', () => find(cluster.admin, 'roleBinding', NS, 'acme-api'), 15_000);
    await eventually(
      'config restored',
      async () => {
        const c = await find<KubeObject & { data: Record<string, string> }>(
          cluster.admin,
          'configMap',
          NS,
          'acme-config',
        );
        return c?.data.EVENT_BUS === 'dapr';
      },
      15_000,
    );
  });

  it(`renders the state store only with ${STATESTORE_ANNOTATION}: "true", and prunes it when that goes`, async () => {
    const annotate = (value: string | null) =>
      cluster.admin.mergePatch(objectPath(KINDS.todoApp, NS, 'acme'), {
        metadata: { annotations: { [STATESTORE_ANNOTATION]: value } },
      });
    await annotate('true');
    const store = await eventually('statestore', () =>
      find(cluster.admin, 'daprComponent', NS, 'acme-statestore'),
    );
    expect(store).toMatchObject({
      spec: { type: 'state.postgresql' },
      auth: { secretStore: 'acme-secretstore' },
    });
    await eventually('Role grants the app Secret', async () => (await roleSecrets()).join() === 'acme-app');
    await annotate(null);
    await eventually(
      'statestore pruned',
      async () => (await find(cluster.admin, 'daprComponent', NS, 'acme-statestore')) === undefined,
    );
  });

  it('renders Kafka TLS and SASL into the pubsub component as references to the tenant Secrets', async () => {
    await patchSpec(cluster.admin, NS, 'acme', {
      kafka: {
        tls: { enabled: true, caSecretRef: { name: 'kafka-ca' } },
        sasl: { mechanism: 'SCRAM-SHA-512', secretRef: { name: 'kafka-user' } },
      },
    });
    const pubsub = await eventually('pubsub with SASL', async () => {
      const c = await find<KubeObject & { spec: { metadata: { name: string }[] } }>(
        cluster.admin,
        'daprComponent',
        NS,
        'acme-pubsub',
      );
      return c?.spec.metadata.some((m) => m.name === 'saslPassword') && c;
    });
    expect(pubsub.spec.metadata).toContainEqual({
      name: 'saslPassword',
      secretKeyRef: { name: 'kafka-user', key: 'password' },
    });
    expect(pubsub.spec.metadata).toContainEqual({
      name: 'caCert',
      secretKeyRef: { name: 'kafka-ca', key: 'ca.crt' },
    });
    await eventually(
      'Role grants the Kafka Secrets',
      async () => (await roleSecrets()).join() === 'kafka-ca,kafka-user',
    );
    await patchSpec(cluster.admin, NS, 'acme', { kafka: { tls: null, sasl: null } });
    await eventually('plain again', async () => (await roleSecrets()).length === 0);
  });

  it('creates an Ingress when asked and removes it when the spec no longer has one', async () => {
    await patchSpec(cluster.admin, NS, 'acme', {
      ingress: { host: 'acme.example.com', className: 'nginx', tlsSecretName: 'acme-tls' },
    });
    const ingress = await eventually('ingress', () => find<V1Ingress>(cluster.admin, 'ingress', NS, 'acme'));
    expect(ingress.spec?.rules?.[0]?.host).toBe('acme.example.com');
    expect(ingress.spec?.tls?.[0]?.secretName).toBe('acme-tls');
    await eventually(
      'url',
      async () => (await getTodoApp(cluster.admin, NS, 'acme'))?.status?.url === 'https://acme.example.com',
    );
    await patchSpec(cluster.admin, NS, 'acme', { ingress: null });
    await eventually(
      'ingress pruned',
      async () => (await find(cluster.admin, 'ingress', NS, 'acme')) === undefined,
    );
  });

  it('reports a missing database secret by name, then recovers once it exists', async () => {
    await createTodoApp(cluster.admin, aTodoApp(NS, 'nosecret', kafka.brokers));
    const app = await eventually('DatabaseReady False', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'nosecret');
      return condition(a, 'DatabaseReady')?.status === 'False' && a;
    });
    expect(condition(app, 'DatabaseReady')).toMatchObject({
      reason: 'SecretNotFound',
      message: 'Secret tenants/nosecret-db does not exist',
    });
    expect(condition(app, 'Ready')).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    // The same failure, through the one error policy, is what the metrics count.
    await eventually('counted as SecretNotFound', async () =>
      (await operator.metrics.reconcileErrors.get()).values.some(
        (v) => v.labels.error === 'SecretNotFound' && v.value > 0,
      ),
    );
    await createSecret(cluster.admin, NS, 'nosecret-db', { url: 'postgres://x@db:5432/x' });
    await eventually(
      'DatabaseReady True',
      async () =>
        condition(await getTodoApp(cluster.admin, NS, 'nosecret'), 'DatabaseReady')?.status === 'True',
      60_000,
    );
  });

  it('does not roll out a configuration the API would refuse at boot, and says why', async () => {
    await createSecret(cluster.admin, NS, 'badurl-db', { url: 'mysql://acme:pw@db:3306/acme' });
    await createTodoApp(cluster.admin, aTodoApp(NS, 'badurl', kafka.brokers));
    const app = await eventually('Ready False', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'badurl');
      return condition(a, 'Ready')?.reason === 'InvalidConfiguration' && a;
    });
    expect(condition(app, 'Ready')?.message).toContain(
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    );
    expect(await find(cluster.admin, 'deployment', NS, 'badurl-api')).toBeUndefined();
  });

  it('reports unreachable brokers without holding up other TodoApps', async () => {
    await createSecret(cluster.admin, NS, 'offline-db', { url: 'postgres://x@db:5432/x' });
    await createTodoApp(cluster.admin, aTodoApp(NS, 'offline', ['127.0.0.1:1']));
    await createSecret(cluster.admin, NS, 'online-db', { url: 'postgres://x@db:5432/x' });
    await createTodoApp(cluster.admin, aTodoApp(NS, 'online', kafka.brokers));
    const offline = await eventually('TopicsReady False', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'offline');
      return condition(a, 'TopicsReady')?.status === 'False' && a;
    });
    expect(condition(offline, 'TopicsReady')?.reason).toBe('KafkaUnavailable');
    expect(condition(offline, 'TopicsReady')?.message).toContain('127.0.0.1:1');
    await eventually(
      'online TopicsReady',
      async () => condition(await getTodoApp(cluster.admin, NS, 'online'), 'TopicsReady')?.status === 'True',
    );
  });
});

describe('deletionPolicy', () => {
  async function deleteAndWait(name: string): Promise<void> {
    await cluster.admin.delete(objectPath(KINDS.todoApp, NS, name));
    await eventually(`${name} gone`, async () => (await getTodoApp(cluster.admin, NS, name)) === undefined);
  }

  it('Delete removes the topics before the TodoApp goes; Retain leaves them', async () => {
    for (const [name, policy] of [
      ['gone', 'Delete'],
      ['kept', 'Retain'],
    ] as const) {
      await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
      await createTodoApp(cluster.admin, aTodoApp(NS, name, kafka.brokers, { deletionPolicy: policy }));
    }
    const gone = await eventually('finalizer', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'gone');
      return condition(a, 'TopicsReady')?.status === 'True' && a;
    });
    expect(gone.metadata.finalizers).toEqual(['tenancy.todo.dev/external-resources']);
    const kept = await eventually('kept ready', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'kept');
      return condition(a, 'TopicsReady')?.status === 'True' && a;
    });
    expect(kept.metadata.finalizers ?? []).toEqual([]);

    await deleteAndWait('gone');
    await deleteAndWait('kept');
    expect(await topicPartitions('tenants-gone')).toEqual({});
    expect(Object.keys(await topicPartitions('tenants-kept'))).toHaveLength(topicNames('x').length);
  });

  it('follows a policy switched on a live TodoApp: the finalizer comes and goes, deletion obeys the last one', async () => {
    const FINALIZER = 'tenancy.todo.dev/external-resources';
    const finalizersOf = async (name: string) =>
      (await getTodoApp(cluster.admin, NS, name))?.metadata.finalizers ?? [];
    for (const name of ['flip', 'flop']) {
      await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
      await createTodoApp(cluster.admin, aTodoApp(NS, name, kafka.brokers, { deletionPolicy: 'Retain' }));
      await eventually(
        `${name} ready`,
        async () => condition(await getTodoApp(cluster.admin, NS, name), 'TopicsReady')?.status === 'True',
      );
      expect(await finalizersOf(name)).toEqual([]);
      await patchSpec(cluster.admin, NS, name, { deletionPolicy: 'Delete' });
      await eventually(`${name} finalizer added`, async () => (await finalizersOf(name)).includes(FINALIZER));
    }
    // flip goes back to Retain before it is deleted; flop is deleted under Delete.
    await patchSpec(cluster.admin, NS, 'flip', { deletionPolicy: 'Retain' });
    await eventually('flip finalizer removed', async () => !(await finalizersOf('flip')).includes(FINALIZER));

    await deleteAndWait('flip');
    await deleteAndWait('flop');
    expect(Object.keys(await topicPartitions('tenants-flip'))).toHaveLength(topicNames('x').length);
    expect(await topicPartitions('tenants-flop')).toEqual({});
  });
});

export type { TodoApp };
