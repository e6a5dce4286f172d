/**
 * Builds kube-apiserver and etcd from their Go modules through the module proxy, once per version, into
 * `cacheRoot()/kube-<k8s>-etcd-<etcd>/bin`. No release binaries are downloaded: only Go modules.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, InfraUnavailableError, run } from './process.js';

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
  readonly etcd: string;
}

/** The go.mod of the wrapper module that builds `k8s.io/kubernetes/cmd/kube-apiserver`. */
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

const apiserverTools =
  '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n';
const etcdGoMod = (v: string) =>
  `module todo.dev/etcd-build\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 v${v}\n`;
// etcd's own main.go is exactly this, in a module (go.etcd.io/etcd/v3) that is awkward to require.
const etcdMain =
  'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n';

/** The folder holding the cached binaries for these versions. */
export function kubeCacheDir(): string {
  return join(cacheRoot(), `kube-${KUBE_VERSION}-etcd-${ETCD_VERSION}`);
}

function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes an O_EXCL lock file; a lock left by a dead process is taken over. Resolves to a release function. */
async function acquireLock(file: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (!holder || !processAlive(holder)) {
      unlinkSync(file);
      continue;
    }
    if (!announced) console.error(`# kube: waiting for process ${holder} that is building the binaries`);
    announced = true;
    if (Date.now() > deadline)
      throw new InfraUnavailableError(`timed out waiting for the build lock ${file}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function goBuild(label: string, dir: string, steps: string[][]): Promise<void> {
  // -p=2 keeps the build from starving everything else on a small machine; GOTOOLCHAIN=local never downloads Go.
  const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-p=2 -mod=mod' };
  for (const args of steps) {
    const started = Date.now();
    console.error(`# kube: ${label}: go ${args.join(' ')}`);
    await run('go', args, { cwd: dir, env, timeoutMs: 90 * 60_000 });
    console.error(`# kube: ${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

/** Returns the cached binaries, building them first if this machine has none for these versions. */
export async function ensureKubeBinaries(): Promise<KubeBinaries> {
  const root = kubeCacheDir();
  const bin = { kubeApiserver: join(root, 'bin', 'kube-apiserver'), etcd: join(root, 'bin', 'etcd') };
  if (existsSync(bin.kubeApiserver) && existsSync(bin.etcd)) return bin;
  if (!goAvailable()) {
    throw new InfraUnavailableError(
      'the Go toolchain (`go`, 1.24 or newer) is not on PATH: it is needed once to build kube-apiserver and etcd; install Go or set KUBECONFIG to an existing cluster',
    );
  }
  await mkdir(join(root, 'bin'), { recursive: true });
  const release = await acquireLock(join(root, 'build.lock'), 120 * 60_000);
  try {
    const out = join(root, 'bin');
    if (!existsSync(bin.etcd)) {
      const dir = join(root, 'src', 'etcd');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'go.mod'), etcdGoMod(ETCD_VERSION));
      await writeFile(join(dir, 'main.go'), etcdMain);
      await goBuild(`etcd v${ETCD_VERSION}`, dir, [
        ['mod', 'tidy'],
        ['build', '-trimpath', '-ldflags=-s -w', '-o', join(out, 'etcd.tmp'), '.'],
      ]);
      await run('mv', [join(out, 'etcd.tmp'), bin.etcd]);
    }
    if (!existsSync(bin.kubeApiserver)) {
      const dir = join(root, 'src', 'apiserver');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'go.mod'), apiserverGoMod());
      await writeFile(join(dir, 'tools.go'), apiserverTools);
      await goBuild(`kube-apiserver v${KUBE_VERSION}`, dir, [
        ['get', `k8s.io/kubernetes/cmd/kube-apiserver@v${KUBE_VERSION}`],
        [
          'build',
          '-trimpath',
          '-ldflags=-s -w',
          '-o',
          join(out, 'kube-apiserver.tmp'),
          'k8s.io/kubernetes/cmd/kube-apiserver',
        ],
      ]);
      await run('mv', [join(out, 'kube-apiserver.tmp'), bin.kubeApiserver]);
    }
  } finally {
    release();
  }
  return bin;
}
