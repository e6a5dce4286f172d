import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type KubeServer, kubectlBinary, startKube } from '../src/index.js';
import { apiserverGoMod, KUBE_VERSION, STAGING_MODULES } from '../src/kube.js';
import { kubeVersionStamps, tagTime } from '../src/kube-build.js';

/** GET as the admin client certificate, or with a bearer token instead: the status and the body. */
function getBody(kube: KubeServer, path: string, token?: string): Promise<{ status: number; body: string }> {
  const file = (f: string) => readFileSync(join(kube.dir, f));
  const auth = token
    ? { headers: { authorization: `Bearer ${token}` } }
    : { cert: file('admin.crt'), key: file('admin.key') };
  return new Promise((resolve, reject) => {
    request(`${kube.server}${path}`, { ca: file('ca.crt'), ...auth }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const get = async (kube: KubeServer, path: string, token?: string) =>
  (await getBody(kube, path, token)).status;

describe('apiserverGoMod', () => {
  it('replaces every staging module of k8s.io/kubernetes with its published v0.33 tag', () => {
    const mod = apiserverGoMod('1.33.13');
    expect(mod).toContain('require k8s.io/kubernetes v1.33.13');
    for (const m of STAGING_MODULES) expect(mod).toContain(`replace k8s.io/${m} => k8s.io/${m} v0.33.13`);
  });
});

describe('kubeVersionStamps', () => {
  it("stamps a release build's version into both packages Kubernetes' build stamps", () => {
    const stamps = kubeVersionStamps('1.33.13', '2026-06-11T16:59:07Z');
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      expect(stamps).toContain(`-X ${pkg}.gitVersion=v1.33.13`);
      expect(stamps).toContain(`-X ${pkg}.gitMajor=1`);
      expect(stamps).toContain(`-X ${pkg}.gitMinor=33`);
      expect(stamps).toContain(`-X ${pkg}.gitTreeState=clean`);
      expect(stamps).toContain(`-X ${pkg}.buildDate=2026-06-11T16:59:07Z`);
    }
  });

  it("reads the tag's time from go list -m -json", () => {
    const listed =
      '{\n\t"Path": "k8s.io/kubernetes",\n\t"Version": "v1.33.13",\n\t"Time": "2026-06-11T16:59:07Z"\n}\n';
    expect(tagTime(listed)).toBe('2026-06-11T16:59:07Z');
    expect(() => tagTime('{}')).toThrow(/no time/);
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
      // A release's version, not v0.0.0-master: clients such as Helm check charts' kubeVersion against it.
      const version = JSON.parse((await getBody(kube, '/version')).body);
      expect(version).toMatchObject({
        gitVersion: `v${KUBE_VERSION}`,
        major: KUBE_VERSION.split('.')[0],
        minor: KUBE_VERSION.split('.')[1],
        gitTreeState: 'clean',
      });
      // kubectl of the same version, built beside it, talks to it with the kubeconfig.
      const versions = JSON.parse(
        execFileSync(await kubectlBinary(), ['version', '-o', 'json', '--kubeconfig', kube.kubeconfig], {
          encoding: 'utf8',
        }),
      );
      expect(versions.clientVersion.gitVersion).toBe(`v${KUBE_VERSION}`);
      expect(versions.serverVersion.gitVersion).toBe(`v${KUBE_VERSION}`);
    } finally {
      await kube.stop();
    }
    expect(existsSync(kube.kubeconfig)).toBe(false);
    for (const pid of kube.pids)
      expect(() => execFileSync('kill', ['-0', String(pid)], { stdio: 'ignore' })).toThrow();
  });
});
