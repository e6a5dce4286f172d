import { describe, expect, it } from 'vitest';
import { defaultedTodoApp } from '../../testing/index.js';
import { desiredHttpRoute } from './gateway.js';
import { appUrl } from './workload.js';

const gateway = { parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }] };

describe('desiredHttpRoute', () => {
  it('is absent without spec.gateway, so an existing route is pruned', () => {
    expect(desiredHttpRoute(defaultedTodoApp('acme'))).toBeUndefined();
  });

  it("routes every path of the spec's hosts on the spec's Gateways to the API Service, owned by the TodoApp", () => {
    const route = desiredHttpRoute(
      defaultedTodoApp('acme', { gateway: { ...gateway, hostnames: ['acme.example.com'] } }),
    );
    expect(route).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'acme',
        namespace: 'tenants',
        ownerReferences: [{ kind: 'TodoApp', name: 'acme', uid: 'uid-acme', controller: true }],
      },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }],
        hostnames: ['acme.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: 'acme-api', port: 80 }],
          },
        ],
      },
    });
  });

  it("leaves hostnames out when the spec has none (the listeners' host names apply)", () => {
    expect(desiredHttpRoute(defaultedTodoApp('acme', { gateway }))?.spec).not.toHaveProperty('hostnames');
  });
});

describe('appUrl with a gateway', () => {
  it.each([
    [
      'the first host name without a wildcard',
      ['*.example.com', 'acme.example.com'],
      undefined,
      'http://acme.example.com',
    ],
    [
      'the Service when every host name is a wildcard',
      ['*.example.com'],
      undefined,
      'http://acme-api.tenants.svc.cluster.local',
    ],
    ['the Service without host names', undefined, undefined, 'http://acme-api.tenants.svc.cluster.local'],
    [
      'the Ingress host when there is also an Ingress',
      ['acme.example.com'],
      { host: 'in.example.com' },
      'http://in.example.com',
    ],
  ])('is %s', (_, hostnames, ingress, url) => {
    expect(appUrl(defaultedTodoApp('acme', { gateway: { ...gateway, hostnames }, ingress }))).toBe(url);
  });
});
