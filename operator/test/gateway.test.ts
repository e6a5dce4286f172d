/**
 * spec.gateway on a real API server: without the Gateway API the TodoApp says so; once its CRDs are installed the
 * operator owns an HTTPRoute `<name>`, and what a Gateway controller writes in the route's status reaches the
 * TodoApp's RouteAccepted condition in words.
 */
import { type KafkaAccess, useKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/kube/client.js';
import { KINDS, objectPath } from '../src/kube/resources.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import { type Cluster, createSecret, find, installGatewayApiCrds, useCluster } from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  operateNamespace,
  patchSpec,
  stopSuite,
  writesOfAnotherReconcile,
} from './support/todoapp.js';

const NS = 'routed';
let cluster: Cluster;
let kafka: KafkaAccess;
let operator: RunningOperator;

const gateway = {
  parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }],
  hostnames: ['acme.example.com'],
};

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), useKafka()]);
  // The TodoApp and Dapr CRDs only: the Gateway API is installed by a test below, as an admin would later.
  operator = await operateNamespace(cluster, NS);
  await createSecret(cluster.admin, NS, 'acme-db', { url: 'postgres://x@db:5432/x' });
});
afterAll(() => stopSuite(operator, cluster?.access, kafka));

const routeStatus = (...conditions: [type: string, status: string, reason: string, message: string][]) => ({
  status: {
    parents: [
      {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', ...gateway.parentRefs[0] },
        controllerName: 'example.com/gateway-controller',
        conditions: conditions.map(([type, status, reason, message]) => ({
          type,
          status,
          reason,
          message,
          observedGeneration: 1,
          lastTransitionTime: '2026-11-28T10:00:00Z',
        })),
      },
    ],
  },
});

/** Writes the route's status as a Gateway controller does (the status subresource). */
const reportAsGatewayController = (status: object) =>
  cluster.admin.mergePatch(`${objectPath(KINDS.httpRoute, NS, 'acme')}/status`, status);

describe('a TodoApp with spec.gateway', () => {
  it('says the Gateway API is missing when it is, and still applies its other children', async () => {
    await createTodoApp(cluster.admin, aTodoApp(NS, 'acme', kafka.brokers, { gateway }));
    const app = await eventually('RouteAccepted False', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return condition(a, 'RouteAccepted')?.reason === 'GatewayAPINotInstalled' && a;
    });
    expect(condition(app, 'RouteAccepted')?.message).toContain(
      'the HTTPRoute API (gateway.networking.k8s.io/v1) is not installed in this cluster: install the Gateway API CRDs',
    );
    expect(condition(app, 'Ready')).toMatchObject({ status: 'False' });
    expect(await find(cluster.admin, 'deployment', NS, 'acme-api')).toBeDefined();
    expect(operator.controller()).toBeDefined();
  });

  it('gets its HTTPRoute once the Gateway API is installed: owned, from the spec, to the API Service', async () => {
    await installGatewayApiCrds(cluster.admin);
    const route = await eventually(
      'HTTPRoute created',
      () => find<KubeObject & { spec: Record<string, unknown> }>(cluster.admin, 'httpRoute', NS, 'acme'),
      45_000,
    );
    expect(route.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'TodoApp', name: 'acme', controller: true }),
    ]);
    expect(route.spec).toMatchObject({
      parentRefs: [{ kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['acme.example.com'],
      rules: [{ backendRefs: [{ kind: 'Service', name: 'acme-api', port: 80 }] }],
    });
    // The route's informer lists again within its back-off (≤ 30 s) once the API exists, and sees the route.
    const app = await eventually(
      'RoutePending, waiting for a controller',
      async () => {
        const a = await getTodoApp(cluster.admin, NS, 'acme');
        return condition(a, 'RouteAccepted')?.message.includes('no Gateway controller has accepted it') && a;
      },
      45_000,
    );
    expect(condition(app, 'RouteAccepted')).toMatchObject({
      status: 'False',
      reason: 'RoutePending',
      message:
        'HTTPRoute acme: no Gateway controller has accepted it yet for Gateway gateways/public (listener https); is the Gateway there, and a controller for its GatewayClass running?',
    });
    expect(app.status?.url).toBe('http://acme.example.com');
  });

  it("shows a Gateway's refusal in words, and its acceptance", async () => {
    await reportAsGatewayController(
      routeStatus([
        'Accepted',
        'False',
        'NotAllowedByListeners',
        'listener https does not allow routes from namespace routed',
      ]),
    );
    const refused = await eventually('RouteNotAccepted', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return condition(a, 'RouteAccepted')?.reason === 'RouteNotAccepted' && a;
    });
    expect(condition(refused, 'RouteAccepted')?.message).toBe(
      'HTTPRoute acme: Gateway gateways/public (listener https) did not accept it (NotAllowedByListeners: listener https does not allow routes from namespace routed)',
    );
    expect(condition(refused, 'RouteAccepted')?.status).toBe('False');

    await reportAsGatewayController(
      routeStatus(['Accepted', 'True', 'Accepted', ''], ['ResolvedRefs', 'True', 'ResolvedRefs', '']),
    );
    const accepted = await eventually('RouteAccepted True', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return condition(a, 'RouteAccepted')?.status === 'True' && a;
    });
    expect(condition(accepted, 'RouteAccepted')?.message).toBe(
      'HTTPRoute acme is accepted by Gateway gateways/public (listener https)',
    );
  });

  it('writes nothing once the route is in place, though the API server filled in its defaults', async () => {
    expect(await writesOfAnotherReconcile(operator, NS, 'acme')).toBe(0);
  });

  it('loses the HTTPRoute and the RouteAccepted condition when spec.gateway goes', async () => {
    await patchSpec(cluster.admin, NS, 'acme', { gateway: null });
    await eventually(
      'HTTPRoute deleted',
      async () => (await find(cluster.admin, 'httpRoute', NS, 'acme')) === undefined,
    );
    const app = await eventually('condition removed', async () => {
      const a = await getTodoApp(cluster.admin, NS, 'acme');
      return a && !condition(a, 'RouteAccepted') && a;
    });
    expect(app.status?.url).toBe('http://acme-api.routed.svc.cluster.local');
  });
});
