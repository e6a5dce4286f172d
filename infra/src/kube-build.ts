/**
 * Builds kube-apiserver, kube-controller-manager and etcd from their Go modules through the module proxy, once per version, into
 * `cacheRoot()/kube-<k8s>-etcd-<etcd>/bin`. No release binaries are downloaded: only Go modules.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock, goBuildArgs, goSteps, requireGo } from './go-build.js';
import { cacheRoot, run } from './process.js';

export const KUBE_VERSION = '1.33.13';
export const ETCD_VERSION = '3.5.35';

/**
 * The staging modules k8s.io/kubernetes v1.33 requires as `v0.0.0` and replaces with `./staging/src/...`;
 * a module outside the kubernetes repository must replace each with its published `v0.33.x` tag.
 */
export const STAGING_MODULES = [
  'api',
  'apiextensions-apiserver',
  'apimachinery',
  'apiserver',
  'cli-runtime',
  'client-go',
  'cloud-provider',
  'cluster-bootstrap',
  'code-generator',
  'component-base',
  'component-helpers',
  'controller-manager',
  'cri-api',
  'cri-client',
  'csi-translation-lib',
  'dynamic-resource-allocation',
  'endpointslice',
  'externaljwt',
  'kms',
  'kube-aggregator',
  'kube-controller-manager',
  'kube-proxy',
  'kube-scheduler',
  'kubectl',
  'kubelet',
  'metrics',
  'mount-utils',
  'pod-security-admission',
  'sample-apiserver',
  'sample-cli-plugin',
  'sample-controller',
] as const;

export interface KubeBinaries {
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly etcd: string;
}

/** The go.mod of the wrapper module that builds kube-apiserver and kube-controller-manager. */
export function apiserverGoMod(kubeVersion = KUBE_VERSION): string {
  const minor = kubeVersion.replace(/^1\./, '0.');
  const replaces = STAGING_MODULES.map((m) => `replace k8s.io/${m} => k8s.io/${m} v${minor}`);
  return [
    'module todo.dev/kube-apiserver-build',
    '',
    'go 1.24.0',
    '',
    `require k8s.io/kubernetes v${kubeVersion}`,
    '',
    ...replaces,
    '',
  ].join('\n');
}

/** The commands built from k8s.io/kubernetes, by the name of their binary. */
const KUBE_COMMANDS = ['kube-apiserver', 'kube-controller-manager'] as const;
const apiserverTools = `//go:build tools\n\npackage tools\n\nimport (\n${KUBE_COMMANDS.map((c) => `\t_ "k8s.io/kubernetes/cmd/${c}"\n`).join('')})\n`;
const etcdGoMod = (v: string) =>
  `module todo.dev/etcd-build\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 v${v}\n`;
// etcd's own main.go is exactly this, in a module (go.etcd.io/etcd/v3) that is awkward to require.
const etcdMain =
  'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n';

/** The folder holding the cached binaries for these versions. */
export function kubeCacheDir(): string {
  return join(cacheRoot(), `kube-${KUBE_VERSION}-etcd-${ETCD_VERSION}`);
}

/** Returns the cached binaries, building them first if this machine has none for these versions. */
export async function ensureKubeBinaries(): Promise<KubeBinaries> {
  const root = kubeCacheDir();
  const bin = {
    kubeApiserver: join(root, 'bin', 'kube-apiserver'),
    kubeControllerManager: join(root, 'bin', 'kube-controller-manager'),
    etcd: join(root, 'bin', 'etcd'),
  };
  if (Object.values(bin).every((file) => existsSync(file))) return bin;
  requireGo(
    'kube-apiserver, kube-controller-manager and etcd (Go 1.24 or newer)',
    'set KUBECONFIG to an existing cluster',
  );
  await mkdir(join(root, 'bin'), { recursive: true });
  const release = await acquireBuildLock(join(root, 'build.lock'), 'kube');
  try {
    const out = join(root, 'bin');
    if (!existsSync(bin.etcd)) {
      const dir = join(root, 'src', 'etcd');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'go.mod'), etcdGoMod(ETCD_VERSION));
      await writeFile(join(dir, 'main.go'), etcdMain);
      await goSteps(`kube: etcd v${ETCD_VERSION}`, dir, [
        ['mod', 'tidy'],
        goBuildArgs(join(out, 'etcd.tmp'), '.'),
      ]);
      await run('mv', [join(out, 'etcd.tmp'), bin.etcd]);
    }
    const dir = join(root, 'src', 'apiserver');
    for (const command of KUBE_COMMANDS) {
      const file = join(out, command);
      if (existsSync(file)) continue;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'go.mod'), apiserverGoMod());
      await writeFile(join(dir, 'tools.go'), apiserverTools);
      await goSteps(`kube: ${command} v${KUBE_VERSION}`, dir, [
        ['get', `k8s.io/kubernetes/cmd/${command}@v${KUBE_VERSION}`],
        goBuildArgs(`${file}.tmp`, `k8s.io/kubernetes/cmd/${command}`),
      ]);
      await run('mv', [`${file}.tmp`, file]);
    }
  } finally {
    release();
  }
  return bin;
}
