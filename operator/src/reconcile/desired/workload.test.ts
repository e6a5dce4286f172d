import type { V1Deployment, V1Ingress } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { TodoApp } from '../../crd/todoapp.js';
import { secretValue } from '../../kube/secret-data.js';
import { defaultedTodoApp } from '../../testing/index.js';
import { desiredDaprComponents, STATESTORE_ANNOTATION } from './dapr.js';
import {
  APP_TOKEN_KEY,
  appUrl,
  configChecksum,
  desiredConfigMap,
  desiredDeployment,
  desiredIngress,
  desiredSecret,
  desiredService,
} from './workload.js';

const inputs = { jwtSecret: 'jwt', appToken: 'app-token', databaseUrl: 'postgres://u:p@db:5432/acme' };
const deployment = (app = defaultedTodoApp()) => desiredDeployment(app, 'sum') as unknown as V1Deployment;
const podAnnotations = (app = defaultedTodoApp()) =>
  deployment(app).spec?.template.metadata?.annotations ?? {};

describe('desiredDeployment', () => {
  it.each([
    [
      'default app id',
      defaultedTodoApp('acme'),
      {
        'dapr.io/enabled': 'true',
        'dapr.io/app-id': 'acme-todo',
        'dapr.io/app-port': '8080',
        'dapr.io/log-level': 'info',
      },
    ],
    [
      'explicit app id and config',
      defaultedTodoApp('acme', { dapr: { appId: 'acme-api', config: 'tracing', logLevel: 'debug' } }),
      { 'dapr.io/app-id': 'acme-api', 'dapr.io/config': 'tracing', 'dapr.io/log-level': 'debug' },
    ],
    ['Dapr disabled', defaultedTodoApp('acme', { dapr: { enabled: false } }), { 'dapr.io/enabled': 'false' }],
  ])('annotates the pods for Dapr: %s', (_, app, expected) => {
    expect(podAnnotations(app)).toMatchObject(expected);
  });

  it('has no sidecar annotations at all when Dapr is disabled', () => {
    const keys = Object.keys(podAnnotations(defaultedTodoApp('acme', { dapr: { enabled: false } }))).filter(
      (k) => k.startsWith('dapr.io/'),
    );
    expect(keys).toEqual(['dapr.io/enabled']);
  });

  it('runs the image hardened, with probes, env from the ConfigMap and Secret, and the spec replicas', () => {
    const d = deployment(defaultedTodoApp('acme', { replicas: 4 }));
    const container = d.spec?.template.spec?.containers[0];
    expect(d.spec?.replicas).toBe(4);
    expect(container?.image).toBe('ghcr.io/owner/todo-api:1.0.0');
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container?.envFrom).toEqual([
      { configMapRef: { name: 'acme-config' } },
      { secretRef: { name: 'acme-app' } },
    ]);
    expect(container?.resources?.limits?.memory).toBe('512Mi');
  });

  it.each([
    [
      'the defaults',
      defaultedTodoApp(),
      { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      {
        'dapr.io/sidecar-cpu-request': '50m',
        'dapr.io/sidecar-memory-request': '64Mi',
        'dapr.io/sidecar-cpu-limit': '500m',
        'dapr.io/sidecar-memory-limit': '256Mi',
      },
    ],
    [
      'the spec, replacing the defaults as a whole; integers as the strings the API server returns',
      defaultedTodoApp('acme', {
        resources: { requests: { cpu: 1, memory: '1Gi' } },
        dapr: { sidecarResources: { limits: { memory: '128Mi' } } },
      }),
      { requests: { cpu: '1', memory: '1Gi' } },
      { 'dapr.io/sidecar-memory-limit': '128Mi' },
    ],
  ])('sizes the API container and the sidecar from %s', (_, app, container, sidecar) => {
    expect(deployment(app).spec?.template.spec?.containers[0]?.resources).toEqual(container);
    const annotations = Object.fromEntries(
      Object.entries(podAnnotations(app)).filter(([k]) => k.startsWith('dapr.io/sidecar-')),
    );
    expect(annotations).toEqual(sidecar);
  });

  it('pulls the image with the spec imagePullSecrets, and names none when there are none', () => {
    const pod = (app = defaultedTodoApp()) => deployment(app).spec?.template.spec;
    expect(pod(defaultedTodoApp('acme', { imagePullSecrets: [{ name: 'ghcr' }] }))?.imagePullSecrets).toEqual(
      [{ name: 'ghcr' }],
    );
    expect(pod()).not.toHaveProperty('imagePullSecrets');
    expect(pod(defaultedTodoApp('acme', { imagePullSecrets: [] }))).not.toHaveProperty('imagePullSecrets');
  });

  it('selects its pods by labels that do not change with the spec', () => {
    const a = deployment(defaultedTodoApp('acme')).spec?.selector;
    const b = deployment(defaultedTodoApp('acme', { replicas: 9, image: 'other:2' })).spec?.selector;
    expect(a).toEqual(b);
  });
});

describe('configChecksum', () => {
  const checksum = (app: TodoApp, secretInputs = inputs) =>
    configChecksum(desiredConfigMap(app), desiredSecret(app, secretInputs), desiredDaprComponents(app));

  it('changes when config, secret or Dapr Components change, and only then', () => {
    const app = defaultedTodoApp();
    const base = checksum(app);
    expect(checksum(defaultedTodoApp())).toBe(base);
    expect(checksum(app, { ...inputs, jwtSecret: 'new' })).not.toBe(base);
    expect(checksum(defaultedTodoApp('acme', { reminders: { backend: 'dapr-jobs' } }))).not.toBe(base);
    // daprd reads its Components only when it starts: new brokers must roll the pods.
    expect(checksum(defaultedTodoApp('acme', { kafka: { brokers: ['other:9092'] } }))).not.toBe(base);
  });

  it('does not change with the Components’ owner reference (a TodoApp re-created under the same name)', () => {
    const app = defaultedTodoApp();
    const again = { ...app, metadata: { ...app.metadata, uid: 'another-uid' } };
    expect(checksum(again)).toBe(checksum(app));
  });
});

describe('desiredConfigMap', () => {
  it.each([
    [
      'Dapr',
      defaultedTodoApp('acme'),
      {
        EVENT_BUS: 'dapr',
        PUBSUB_NAME: 'acme-pubsub',
        TOPIC_PREFIX: 'acme',
        REMINDER_BACKEND: 'database',
        PORT: '8080',
        TRUST_PROXY: 'uniquelocal',
      },
    ],
    [
      'Kafka directly without Dapr',
      defaultedTodoApp('acme', { dapr: { enabled: false }, kafka: { brokers: ['a:1', 'b:2'] } }),
      { EVENT_BUS: 'kafka', KAFKA_BROKERS: 'a:1,b:2' },
    ],
  ])('configures the API for %s', (_, app, expected) => {
    expect(desiredConfigMap(app).data).toMatchObject(expected);
  });

  it('names the state store for the assistant only when the TodoApp asks for one', () => {
    const app = defaultedTodoApp('acme');
    expect(desiredConfigMap(app).data).not.toHaveProperty('STATESTORE_NAME');
    const annotated = {
      ...app,
      metadata: { ...app.metadata, annotations: { [STATESTORE_ANNOTATION]: 'true' } },
    };
    expect(desiredConfigMap(annotated).data).toMatchObject({ STATESTORE_NAME: 'acme-statestore' });
  });
});

describe('desiredSecret', () => {
  it('holds the JWT secret, the database URL and the app token under the key Dapr reads', () => {
    const secret = desiredSecret(defaultedTodoApp(), inputs);
    expect(secretValue(secret, 'JWT_SECRET')).toBe('jwt');
    expect(secretValue(secret, 'DATABASE_URL')).toBe(inputs.databaseUrl);
    expect(APP_TOKEN_KEY).toBe('token');
    expect(secretValue(secret, 'token')).toBe('app-token');
  });
});

describe('the app token', () => {
  it('reaches the sidecar through dapr.io/app-token-secret and the API as APP_API_TOKEN, from one Secret key', () => {
    expect(podAnnotations()['dapr.io/app-token-secret']).toBe('acme-app');
    expect(deployment().spec?.template.spec?.containers[0]?.env).toContainEqual({
      name: 'APP_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'acme-app', key: 'token' } },
    });
  });

  it('is not annotated when the TodoApp runs without Dapr', () => {
    expect(podAnnotations(defaultedTodoApp('acme', { dapr: { enabled: false } }))).not.toHaveProperty(
      'dapr.io/app-token-secret',
    );
  });
});

describe('desiredService and desiredIngress', () => {
  it('exposes the pods on port 80 and is owned by the TodoApp', () => {
    const svc = desiredService(defaultedTodoApp());
    expect(svc.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'tenancy.todo.dev/v1alpha1',
        kind: 'TodoApp',
        name: 'acme',
        uid: 'uid-acme',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(svc.spec).toMatchObject({ ports: [{ port: 80, targetPort: 'http' }] });
  });

  it.each([
    ['no ingress', undefined, undefined, 'http://acme-api.tenants.svc.cluster.local'],
    ['plain HTTP', { host: 'acme.example.com' }, undefined, 'http://acme.example.com'],
    [
      'TLS',
      { host: 'acme.example.com', tlsSecretName: 'acme-tls', className: 'nginx' },
      'acme-tls',
      'https://acme.example.com',
    ],
  ])('%s: Ingress and URL follow the spec', (_, ingress, tlsSecret, url) => {
    const app = defaultedTodoApp('acme', { ingress });
    const rendered = desiredIngress(app) as unknown as V1Ingress | undefined;
    expect(rendered === undefined).toBe(ingress === undefined);
    expect(rendered?.spec?.tls?.[0]?.secretName).toBe(tlsSecret);
    expect(appUrl(app)).toBe(url);
  });
});
