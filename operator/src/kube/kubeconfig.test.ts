import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeconfigError, loadClusterAccess, loadKubeconfigFile } from './kubeconfig.js';

async function kubeconfig(user: Record<string, unknown>, extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kc-'));
  await writeFile(join(dir, 'ca.crt'), 'CA-FILE');
  const file = join(dir, 'config');
  await writeFile(
    file,
    `apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: { cluster: c, user: u, namespace: tenants }
clusters:
- name: c
  cluster: { server: "https://k.example:6443", certificate-authority: ca.crt }
users:
- name: u
  user: ${JSON.stringify(user)}
${extra}`,
  );
  return file;
}

describe('loadKubeconfigFile', () => {
  it('reads the current context: server, namespace, CA relative to the file, inline client certificate', async () => {
    const access = loadKubeconfigFile(
      await kubeconfig({
        'client-certificate-data': Buffer.from('CERT').toString('base64'),
        'client-key-data': Buffer.from('KEY').toString('base64'),
      }),
    );
    expect(access.server).toBe('https://k.example:6443');
    expect(access.namespace).toBe('tenants');
    expect(access.ca?.toString()).toBe('CA-FILE');
    expect(access.cert?.toString()).toBe('CERT');
    expect(access.key?.toString()).toBe('KEY');
    expect(access.token).toBeUndefined();
  });

  it('uses a static token', async () => {
    const access = loadKubeconfigFile(await kubeconfig({ token: 'abc' }));
    expect(await access.token?.()).toBe('abc');
  });

  it('runs an exec credential plugin (as OKE kubeconfigs do) and caches its token until it expires', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-exec-'));
    const plugin = join(dir, 'plugin.sh');
    const counter = join(dir, 'calls');
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    await writeFile(
      plugin,
      `#!/bin/sh\necho x >> ${counter}\necho '{"kind":"ExecCredential","status":{"token":"from-'$TENANT'","expirationTimestamp":"${expires}"}}'\n`,
    );
    await chmod(plugin, 0o755);
    const access = loadKubeconfigFile(
      await kubeconfig({ exec: { command: plugin, args: [], env: [{ name: 'TENANT', value: 'acme' }] } }),
    );
    expect(await access.token?.()).toBe('from-acme');
    expect(await access.token?.()).toBe('from-acme');
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('names the missing piece when the current context points nowhere', async () => {
    const file = await kubeconfig({ token: 'x' });
    const { readFile } = await import('node:fs/promises');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('current-context: dev', 'current-context: prod'),
    );
    expect(() => loadKubeconfigFile(file)).toThrow(
      new KubeconfigError('the kubeconfig has no context named "prod"'),
    );
  });
});

describe('loadClusterAccess', () => {
  it('prefers KUBECONFIG, and explains what to set when nothing is found', async () => {
    const file = await kubeconfig({ token: 'x' });
    expect(loadClusterAccess({ KUBECONFIG: file }).server).toBe('https://k.example:6443');
    expect(() => loadClusterAccess({ KUBECONFIG: '/nonexistent/config' })).toThrow(
      /set KUBECONFIG or run inside the cluster/,
    );
  });
});
