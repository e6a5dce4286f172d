import { describe, expect, it } from 'vitest';
import type { TodoApp } from '../crd/todoapp.js';
import { defaultedTodoApp } from '../testing/index.js';
import { childPlans } from './child-plans.js';
import { desiredDaprApiTokenSecret, desiredDaprComponents } from './desired/dapr.js';
import { configChecksum, desiredConfigMap, desiredDeployment, desiredSecret } from './desired/workload.js';

const plans = (app: TodoApp, withWorkload = true) => {
  const config = desiredConfigMap(app);
  const components = desiredDaprComponents(app);
  const secret = desiredSecret(app, { jwtSecret: 'j', appToken: 'a', databaseUrl: 'postgres://db/todo' });
  const workload = {
    secret,
    daprApiSecret: desiredDaprApiTokenSecret(app, 'd'),
    deployment: desiredDeployment(app, configChecksum(config, secret, components)),
  };
  return childPlans(app, config, components, withWorkload ? workload : undefined);
};
const applied = (list: ReturnType<typeof plans>) =>
  list.filter((p) => p.desired).map((p) => `${p.kind}/${p.name}`);
const pruned = (list: ReturnType<typeof plans>) =>
  list.filter((p) => !p.desired).map((p) => `${p.kind}/${p.name}`);

describe('the children of a TodoApp', () => {
  it('are, with Dapr on, the workload, both Secrets, the Dapr objects and the identity', () => {
    expect(applied(plans(defaultedTodoApp()))).toEqual([
      'configMap/acme-config',
      'secret/acme-app',
      'secret/acme-dapr-api',
      'deployment/acme-api',
      'service/acme-api',
      'daprComponent/acme-pubsub',
      'daprComponent/acme-pubsub-reminders',
      'daprComponent/acme-pubsub-task-updates',
      'daprComponent/acme-secretstore',
      'daprResiliency/acme-resiliency',
      'serviceAccount/acme-api',
      'role/acme-api',
      'roleBinding/acme-api',
    ]);
    expect(pruned(plans(defaultedTodoApp()))).toEqual([
      'ingress/acme',
      'httpRoute/acme',
      'daprComponent/acme-statestore',
    ]);
  });

  it('prune every Dapr object, the Dapr API token included, once Dapr is off', () => {
    const off = plans(defaultedTodoApp('acme', { dapr: { enabled: false } }));
    expect(pruned(off)).toEqual(
      expect.arrayContaining([
        'secret/acme-dapr-api',
        'daprComponent/acme-pubsub',
        'daprComponent/acme-secretstore',
        'daprResiliency/acme-resiliency',
      ]),
    );
    expect(applied(off)).not.toContain('secret/acme-dapr-api');
  });

  it('leave the Secrets and the Deployment alone without a rendered workload', () => {
    const kinds = plans(defaultedTodoApp(), false).map((p) => p.kind);
    expect(kinds).not.toContain('secret');
    expect(kinds).not.toContain('deployment');
  });
});
