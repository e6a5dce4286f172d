import { describe, expect, it } from 'vitest';
import type { TodoApp } from '../../crd/todoapp.js';
import { defaultedTodoApp } from '../../testing/index.js';
import { desiredDaprComponents, STATESTORE_ANNOTATION } from './dapr.js';
import {
  desiredRole,
  desiredRoleBinding,
  desiredServiceAccount,
  secretsReadThroughStore,
} from './identity.js';
import { desiredDeployment } from './workload.js';

const secretsOf = (app: TodoApp) => secretsReadThroughStore(app, desiredDaprComponents(app));
const annotated = (app: TodoApp): TodoApp => ({
  ...app,
  metadata: { ...app.metadata, annotations: { [STATESTORE_ANNOTATION]: 'true' } },
});
const sasl = { mechanism: 'SCRAM-SHA-512' as const, secretRef: { name: 'kafka-user' } };
const tls = { enabled: true, caSecretRef: { name: 'kafka-ca', key: 'ca.crt' } };

describe('the Secrets the tenant pods may read', () => {
  it.each<[string, TodoApp, string[]]>([
    ['nothing by default', defaultedTodoApp(), []],
    ['nothing without Dapr', defaultedTodoApp('acme', { dapr: { enabled: false } }), []],
    ['the app Secret for the state store', annotated(defaultedTodoApp()), ['acme-app']],
    ['the SASL credentials', defaultedTodoApp('acme', { kafka: { sasl } }), ['kafka-user']],
    [
      'each Secret once, sorted',
      annotated(
        defaultedTodoApp('acme', {
          kafka: { sasl, tls: { ...tls, caSecretRef: { name: 'kafka-user', key: 'ca' } } },
        }),
      ),
      ['acme-app', 'kafka-user'],
    ],
    [
      'the CA and the credentials',
      defaultedTodoApp('acme', { kafka: { sasl, tls } }),
      ['kafka-ca', 'kafka-user'],
    ],
  ])('%s', (_, app, secrets) => {
    expect(secretsOf(app)).toEqual(secrets);
  });
});

describe('desiredRole', () => {
  it('allows get on the named Secrets only', () => {
    expect(desiredRole(defaultedTodoApp(), ['a', 'b']).rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['a', 'b'] },
    ]);
  });

  it('has no rule at all when there is nothing to read (an empty resourceNames would allow every Secret)', () => {
    expect(desiredRole(defaultedTodoApp(), [])).not.toHaveProperty('rules');
  });
});

describe('the pods identity', () => {
  it('is ServiceAccount <name>-api, bound to Role <name>-api, and used by the Deployment', () => {
    const app = defaultedTodoApp('acme');
    expect(desiredServiceAccount(app).metadata.name).toBe('acme-api');
    expect(desiredRoleBinding(app)).toMatchObject({
      metadata: { name: 'acme-api', namespace: 'tenants' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'acme-api' },
      subjects: [{ kind: 'ServiceAccount', name: 'acme-api', namespace: 'tenants' }],
    });
    const pod = (desiredDeployment(app, 'sum').spec as { template: { spec: { serviceAccountName: string } } })
      .template.spec;
    expect(pod.serviceAccountName).toBe('acme-api');
  });
});
