import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/client.js';
import { defaultedTodoApp } from '../testing/index.js';
import { routeOutcome } from './route-status.js';

const app = defaultedTodoApp('acme', {
  gateway: { parentRefs: [{ name: 'public', namespace: 'gateways' }, { name: 'internal' }] },
});

type Cond = [type: string, status: string, reason: string, message?: string, observedGeneration?: number];
const parent = (name: string, namespace: string | undefined, ...conditions: Cond[]) => ({
  parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name, ...(namespace && { namespace }) },
  controllerName: 'example.com/gateway',
  conditions: conditions.map(([type, status, reason, message = '', observedGeneration = 2]) => ({
    type,
    status,
    reason,
    message,
    observedGeneration,
    lastTransitionTime: '2026-11-28T00:00:00Z',
  })),
});
const route = (...parents: ReturnType<typeof parent>[]): KubeObject =>
  ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'acme', namespace: 'tenants', generation: 2 },
    status: { parents },
  }) as KubeObject;

const accepted: Cond[] = [
  ['Accepted', 'True', 'Accepted'],
  ['ResolvedRefs', 'True', 'ResolvedRefs'],
];

describe('routeOutcome', () => {
  it('is absent when the TodoApp asks for no Gateway route', () => {
    expect(routeOutcome(defaultedTodoApp('acme'), undefined)).toBeUndefined();
  });

  it.each([
    ['no route observed yet', undefined, false, 'RoutePending', 'has not been observed yet'],
    [
      'no controller has reported',
      route(),
      false,
      'RoutePending',
      'no Gateway controller has accepted it yet for Gateway gateways/public, Gateway tenants/internal',
    ],
    [
      'one Gateway refuses it, naming why',
      route(
        parent('public', 'gateways', [
          'Accepted',
          'False',
          'NotAllowedByListeners',
          'namespace tenants is not allowed',
        ]),
        parent('internal', undefined, ...accepted),
      ),
      false,
      'RouteNotAccepted',
      'HTTPRoute acme: Gateway gateways/public did not accept it (NotAllowedByListeners: namespace tenants is not allowed)',
    ],
    [
      'accepted, but the backend is not resolved',
      route(
        parent('public', 'gateways', ...accepted),
        parent(
          'internal',
          undefined,
          ['Accepted', 'True', 'Accepted'],
          ['ResolvedRefs', 'False', 'BackendNotFound'],
        ),
      ),
      false,
      'RouteRefsNotResolved',
      'Gateway tenants/internal cannot send traffic to it (BackendNotFound)',
    ],
    [
      'a refusal of an older generation of the route',
      route(
        parent('public', 'gateways', ['Accepted', 'False', 'NotAllowedByListeners', '', 1]),
        parent('internal', 'tenants', ...accepted),
      ),
      false,
      'RoutePending',
      'for Gateway gateways/public;',
    ],
    [
      'accepted by every Gateway',
      route(parent('public', 'gateways', ...accepted), parent('internal', 'tenants', ...accepted)),
      true,
      'Accepted',
      'HTTPRoute acme is accepted by Gateway gateways/public, Gateway tenants/internal',
    ],
  ])('%s', (_, observed, ok, reason, message) => {
    const outcome = routeOutcome(app, observed);
    expect(outcome).toMatchObject({ ok, reason });
    expect(outcome?.message).toContain(message);
  });

  it('tells listeners of the same Gateway apart', () => {
    const two = defaultedTodoApp('acme', {
      gateway: {
        parentRefs: [
          { name: 'public', sectionName: 'http' },
          { name: 'public', sectionName: 'https' },
        ],
      },
    });
    const https = {
      ...parent('public', undefined, ...accepted),
      parentRef: { name: 'public', sectionName: 'https' },
    };
    expect(routeOutcome(two, route(https))?.message).toContain('for Gateway tenants/public (listener http)');
  });
});
