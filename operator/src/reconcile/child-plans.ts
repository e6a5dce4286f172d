/**
 * Every child a TodoApp has, by kind and name: the object it should be, or undefined when it must not exist.
 * One list for the reconcile (which applies and prunes it) and for bench:operator (which applies and waits for it).
 */
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeObject } from '../kube/client.js';
import type { ChildPlan } from './children.js';
import { desiredDaprApiTokenSecret, desiredResiliency, pubsubComponentNames } from './desired/dapr.js';
import { desiredHttpRoute } from './desired/gateway.js';
import {
  desiredRole,
  desiredRoleBinding,
  desiredServiceAccount,
  secretsReadThroughStore,
} from './desired/identity.js';
import { childNames } from './desired/meta.js';
import {
  configChecksum,
  desiredDeployment,
  desiredIngress,
  desiredSecret,
  desiredService,
  type ResolvedInputs,
} from './desired/workload.js';

/** The rendered children that need the tenant's secrets (its database URL, generated tokens). */
export interface RenderedWorkload {
  secret: KubeObject;
  daprApiSecret: KubeObject | undefined;
  deployment: KubeObject;
}

/**
 * The tenant's Secrets and its Deployment, rendered from its resolved secret values: the Deployment's pod template
 * carries the checksum of the config, the Secret and the Components, so a change to any of them rolls the pods.
 */
export function renderedWorkload(
  app: TodoApp,
  config: KubeObject,
  components: KubeObject[],
  inputs: ResolvedInputs & { daprApiToken: string },
): RenderedWorkload {
  const { daprApiToken, ...secretInputs } = inputs;
  const secret = desiredSecret(app, secretInputs);
  return {
    secret,
    daprApiSecret: desiredDaprApiTokenSecret(app, daprApiToken),
    deployment: desiredDeployment(app, configChecksum(config, secret, components)),
  };
}

/**
 * The plans in the reconcile's order. Without a workload (no database yet, or a config the API would refuse)
 * its Secrets and Deployment are left as they are: neither applied nor pruned.
 */
export function childPlans(
  app: TodoApp,
  config: KubeObject,
  components: KubeObject[],
  workload: RenderedWorkload | undefined,
): ChildPlan[] {
  const names = childNames(app);
  const plans: ChildPlan[] = [{ kind: 'configMap', name: names.config, desired: config }];
  if (workload) {
    plans.push({ kind: 'secret', name: names.secret, desired: workload.secret });
    plans.push({ kind: 'secret', name: names.daprApiToken, desired: workload.daprApiSecret });
    plans.push({ kind: 'deployment', name: names.api, desired: workload.deployment });
  }
  plans.push({ kind: 'service', name: names.api, desired: desiredService(app) });
  plans.push({ kind: 'ingress', name: names.ingress, desired: desiredIngress(app) });
  plans.push({ kind: 'httpRoute', name: names.httpRoute, desired: desiredHttpRoute(app) });
  for (const name of [...pubsubComponentNames(app), names.statestore, names.secretstore]) {
    plans.push({ kind: 'daprComponent', name, desired: components.find((c) => c.metadata.name === name) });
  }
  plans.push({ kind: 'daprResiliency', name: names.resiliency, desired: desiredResiliency(app) });
  const identity = names.serviceAccount;
  plans.push({ kind: 'serviceAccount', name: identity, desired: desiredServiceAccount(app) });
  plans.push({
    kind: 'role',
    name: identity,
    desired: desiredRole(app, secretsReadThroughStore(app, components)),
  });
  plans.push({ kind: 'roleBinding', name: identity, desired: desiredRoleBinding(app) });
  return plans;
}
