import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type KubeServer, startKube } from '../src/index.js';
import { apiserverGoMod, STAGING_MODULES } from '../src/kube.js';

/** GET as the admin client certificate, or with a bearer token instead. */
function get(kube: KubeServer, path: string, token?: string): Promise<number> {
  const file = (f: string) => readFileSync(join(kube.dir, f));
  const auth = token
    ? { headers: { authorization: `Bearer ${token}` } }
    : { cert: file('admin.crt'), key: file('admin.key') };
  return new Promise((resolve, reject) => {
    request(`${kube.server}${path}`, { ca: file('ca.crt'), ...auth }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('apiserverGoMod', () => {
  it('replaces every staging module of k8s.io/kubernetes with its published v0.33 tag', () => {
    const mod = apiserverGoMod('1.33.13');
    expect(mod).toContain('require k8s.io/kubernetes v1.33.13');
    for (const m of STAGING_MODULES) expect(mod).toContain(`replace k8s.io/${m} => k8s.io/${m} v0.33.13`);
  });
});

describe('startKube', () => {
  it('serves an RBAC-enforcing API server on loopback to a cluster-admin kubeconfig, and is gone after stop', async () => {
    const kube = await startKube();
    try {
      expect(kube.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(kube.env.KUBECONFIG).toBe(kube.kubeconfig);
      expect(readFileSync(kube.kubeconfig, 'utf8')).toContain(`server: ${kube.server}`);
      expect(await get(kube, '/api/v1/namespaces/default')).toBe(200);
      // Anonymous/unknown tokens are refused: authentication and RBAC are really on.
      expect(await get(kube, '/api/v1/namespaces/default', 'not-a-token')).toBe(401);
    } finally {
      await kube.stop();
    }
    expect(existsSync(kube.kubeconfig)).toBe(false);
    for (const pid of kube.pids)
      expect(() => execFileSync('kill', ['-0', String(pid)], { stdio: 'ignore' })).toThrow();
  });
});
