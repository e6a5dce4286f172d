/**
 * Builds kube-apiserver, kube-controller-manager, kubectl and etcd from their Go modules through the module proxy, once per
 * version and recipe, into `cacheRoot()/kube-<k8s>-etcd-<etcd>-<recipe>/bin`. No release binaries are downloaded:
 * only Go modules. The Kubernetes binaries carry the version stamps of Kubernetes' own release build.
 */
import { createHash } from 'node:crypto';
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
  /** For tests of what our scripts and NOTES tell people to run. */
  readonly kubectl: string;
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

/** The packages Kubernetes' build stamps its version into (hack/lib/version.sh, `kube::version::ldflags`). */
const VERSION_PACKAGES = ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version'] as const;

/**
 * The `-X` stamps of a release build of `kubeVersion` (variables of component-base/version/base.go). Unstamped,
 * `/version` says `v0.0.0-master` and Helm refuses every chart's `kubeVersion`. `buildDate` is the tag's time,
 * as with SOURCE_DATE_EPOCH; the module proxy does not carry the tag's commit, so `gitCommit` is left empty.
 */
export function kubeVersionStamps(kubeVersion: string, buildDate: string): string[] {
  const [major, minor] = kubeVersion.split('.');
  const values = {
    buildDate,
    gitCommit: '',
    gitTreeState: 'clean', // the tagged module as published, checked against go.sum
    gitVersion: `v${kubeVersion}`,
    gitMajor: major,
    gitMinor: minor,
  };
  return VERSION_PACKAGES.flatMap((pkg) => Object.entries(values).map(([k, v]) => `-X ${pkg}.${k}=${v}`));
}

/** The commands built from k8s.io/kubernetes, by the name of their binary. */
const KUBE_COMMANDS = ['kube-apiserver', 'kube-controller-manager', 'kubectl'] as const;
const apiserverTools = `//go:build tools\n\npackage tools\n\nimport (\n${KUBE_COMMANDS.map((c) => `\t_ "k8s.io/kubernetes/cmd/${c}"\n`).join('')})\n`;
const etcdGoMod = (v: string) =>
  `module todo.dev/etcd-build\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 v${v}\n`;
// etcd's own main.go is exactly this, in a module (go.etcd.io/etcd/v3) that is awkward to require.
const etcdMain =
  'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n';

/** The folder holding the cached binaries for these versions; a change to the recipe (go.mod, stamps) is a new one. */
export function kubeCacheDir(): string {
  const recipe = createHash('sha256')
    .update(apiserverGoMod())
    .update(kubeVersionStamps(KUBE_VERSION, '<tag time>').join(' '))
    .digest('hex')
    .slice(0, 8);
  return join(cacheRoot(), `kube-${KUBE_VERSION}-etcd-${ETCD_VERSION}-${recipe}`);
}

/** The time of the k8s.io/kubernetes tag, from `go list -m -json` output (the module proxy's `.info`). */
export function tagTime(listOutput: string): string {
  const time = /"Time":\s*"([^"]+)"/.exec(listOutput)?.[1];
  if (!time) throw new Error(`go list -m -json reported no time:\n${listOutput}`);
  return time;
}

/** Returns the cached binaries, building them first if this machine has none for these versions. */
export async function ensureKubeBinaries(): Promise<KubeBinaries> {
  const root = kubeCacheDir();
  const bin = {
    kubeApiserver: join(root, 'bin', 'kube-apiserver'),
    kubeControllerManager: join(root, 'bin', 'kube-controller-manager'),
    kubectl: join(root, 'bin', 'kubectl'),
    etcd: join(root, 'bin', 'etcd'),
  };
  if (Object.values(bin).every((file) => existsSync(file))) return bin;
  requireGo(
    'kube-apiserver, kube-controller-manager, kubectl and etcd (Go 1.24 or newer)',
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
      const [, listed] = await goSteps(`kube: ${command} v${KUBE_VERSION}`, dir, [
        ['get', `k8s.io/kubernetes/cmd/${command}@v${KUBE_VERSION}`],
        ['list', '-m', '-json', 'k8s.io/kubernetes'],
      ]);
      const stamps = kubeVersionStamps(KUBE_VERSION, tagTime(listed ?? ''));
      await goSteps(`kube: ${command} v${KUBE_VERSION}`, dir, [
        goBuildArgs(`${file}.tmp`, `k8s.io/kubernetes/cmd/${command}`, stamps),
      ]);
      await run('mv', [`${file}.tmp`, file]);
    }
  } finally {
    release();
  }
  return bin;
}

/** kubectl of the same Kubernetes version, for tests that run what our scripts and charts' NOTES tell people to. */
export const kubectlBinary = async (): Promise<string> => (await ensureKubeBinaries()).kubectl;
