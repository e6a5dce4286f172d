/**
 * The harness's kube-controller-manager really runs the controllers the operator's tests rely on: garbage
 * collection by owner reference, Deployment → ReplicaSet → Pod, and namespace deletion.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeServer, startKube } from '../src/index.js';
import { eventually } from '../src/testing/index.js';

let kube: KubeServer;

interface Obj {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; name: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string; message?: string }[] };
  data?: Record<string, string>;
}

/** A request as the admin; resolves to the status and the parsed body. */
function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Obj & { items?: Obj[] } }> {
  const file = (f: string) => readFileSync(join(kube.dir, f));
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${kube.server}${path}`,
      {
        method,
        ca: file('ca.crt'),
        cert: file('admin.crt'),
        key: file('admin.key'),
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function create(path: string, body: unknown): Promise<Obj> {
  const res = await api('POST', path, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

/** Waits for what a controller does: up to a minute, looking every 200 ms. */
const byController = <T>(what: string, check: () => Promise<T>) => eventually(what, check, 60_000, 200);

/** Waits until `path` is gone (404). */
const gone = (what: string, path: string) =>
  byController(what, async () => (await api('GET', path)).status === 404);

beforeAll(async () => {
  kube = await startKube();
});

afterAll(async () => {
  await kube?.stop();
});

describe('kube-controller-manager beside the test API server', () => {
  it('garbage-collects an object whose owner is deleted', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'gc' } });
    const owner = await create('/api/v1/namespaces/gc/configmaps', { metadata: { name: 'owner' } });
    await create('/api/v1/namespaces/gc/secrets', {
      metadata: {
        name: 'dependent',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
    });
    expect((await api('DELETE', '/api/v1/namespaces/gc/configmaps/owner')).status).toBe(200);
    await gone('the dependent Secret is collected', '/api/v1/namespaces/gc/secrets/dependent');
  });

  it('turns a Deployment into a ReplicaSet it owns, and that into the Pods it asks for', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'deploy' } });
    const labels = { app: 'web' };
    await create('/apis/apps/v1/namespaces/deploy/deployments', {
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] },
        },
      },
    });
    const rs = await byController(
      'a ReplicaSet owned by the Deployment',
      async () => (await api('GET', '/apis/apps/v1/namespaces/deploy/replicasets')).json.items?.[0],
    );
    expect(rs.metadata.ownerReferences).toMatchObject([{ kind: 'Deployment', name: 'web' }]);
    const pods = await byController('two Pods owned by the ReplicaSet', async () => {
      const items = (await api('GET', '/api/v1/namespaces/deploy/pods')).json.items ?? [];
      return items.length === 2 && items;
    });
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toMatchObject([{ kind: 'ReplicaSet', name: rs.metadata.name }]);
      expect(pod.status?.phase).toBe('Pending'); // no scheduler or kubelet: created, never run
    }
  });

  it('deletes a namespace with what is in it', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await create('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'content' } });
    expect((await api('DELETE', '/api/v1/namespaces/doomed')).status).toBe(200);
    await gone('the namespace is gone', '/api/v1/namespaces/doomed');
  });

  it('fills a service-account token Secret with a token signed by the harness key', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'tokens' } });
    await byController(
      'the default ServiceAccount',
      async () => (await api('GET', '/api/v1/namespaces/tokens/serviceaccounts/default')).status === 200,
    );
    await create('/api/v1/namespaces/tokens/secrets', {
      metadata: { name: 'default-token', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type: 'kubernetes.io/service-account-token',
    });
    const token = await byController(
      'the token in the Secret',
      async () => (await api('GET', '/api/v1/namespaces/tokens/secrets/default-token')).json.data?.token,
    );
    // The API server accepts it: it was signed with the key it verifies with.
    const jwt = Buffer.from(token, 'base64').toString();
    const review = await api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: jwt } });
    expect(review.json).toMatchObject({
      status: { authenticated: true, user: { username: 'system:serviceaccount:tokens:default' } },
    });
  });

  it('enforces Pod Security on a namespace labelled restricted: a privileged pod is refused, a restricted one made', async () => {
    await create('/api/v1/namespaces', {
      metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    const deployment = (name: string, securityContext: unknown) => ({
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: 'example.invalid/app:1', securityContext }] },
        },
      },
    });
    await create(
      '/apis/apps/v1/namespaces/restricted/deployments',
      deployment('loose', { privileged: true }),
    );
    await create(
      '/apis/apps/v1/namespaces/restricted/deployments',
      deployment('tight', {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      }),
    );
    const failure = await byController('the privileged Deployment reports its pods refused', async () =>
      (
        await api('GET', '/apis/apps/v1/namespaces/restricted/deployments/loose')
      ).json.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True'),
    );
    expect(failure.message).toMatch(/violates PodSecurity "restricted/);
    const pods = await byController('the restricted Deployment has its pod', async () => {
      const items = (await api('GET', '/api/v1/namespaces/restricted/pods')).json.items ?? [];
      return items.length > 0 && items;
    });
    expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.name)).toEqual([
      expect.stringMatching(/^tight-/),
    ]);
  });

  it('gives every new namespace its default service account', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'accounts' } });
    await byController(
      'the default ServiceAccount',
      async () => (await api('GET', '/api/v1/namespaces/accounts/serviceaccounts/default')).status === 200,
    );
  });
});
