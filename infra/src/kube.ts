/**
 * A small Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC authorization, client-certificate
 * admin in `system:masters`, service-account token signing, Pod Security admission) and kube-controller-manager
 * with the controllers whose effects our tests observe (garbage collection by owner reference, Deployment →
 * ReplicaSet → Pod, namespace deletion, service accounts and their tokens), built from Go modules once and
 * cached. There is no scheduler or kubelet: pods are created but never run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { ensureKubeBinaries } from './kube-build.js';
import { createKubePki, type KubePki, writeKubeconfig } from './kube-certs.js';
import { freePort, type RunningServer, retryOnPortClash, tempDir, terminatePid } from './process.js';
import { eventually } from './testing/eventually.js';

export {
  apiserverGoMod,
  ETCD_VERSION,
  ensureKubeBinaries,
  KUBE_VERSION,
  kubectlBinary,
  STAGING_MODULES,
} from './kube-build.js';

export interface KubeServer extends RunningServer {
  readonly kubeconfig: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
}

/** Starts detached with output in a log file, so `infra up` can leave it running after the CLI exits. */
function spawnDetached(cmd: string, args: string[], log: string): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  return child;
}

/** The controllers kube-controller-manager runs here (`kube-controller-manager --controllers`). */
export const KUBE_CONTROLLERS = [
  'garbage-collector-controller',
  'deployment-controller',
  'replicaset-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
] as const;

/** Whether GET `path` answers 200 to the admin. */
async function answers(server: string, pki: KubePki, path: string): Promise<boolean> {
  const [ca, cert, key] = await Promise.all([
    readFile(pki.caCert),
    readFile(pki.adminCert),
    readFile(pki.adminKey),
  ]);
  return new Promise((resolve) => {
    const req = request(`${server}${path}`, { ca, cert, key, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function logTail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts etcd, kube-apiserver and kube-controller-manager on free loopback ports; the kubeconfig authenticates
 * as a cluster admin.
 */
export function startKube(): Promise<KubeServer> {
  return retryOnPortClash(startKubeOnce);
}

async function startKubeOnce(): Promise<KubeServer> {
  const bin = await ensureKubeBinaries();
  const dir = await tempDir('kube');
  const pki = await createKubePki(dir);
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const etcdLog = join(dir, 'etcd.log');
  const etcd = spawnDetached(
    bin.etcd,
    [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      // A disposable store: durability is traded for speed.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    etcdLog,
  );
  // In stopping order (the controller-manager, then the API server, then its store), as `infra down` stops them.
  const pids = [etcd.pid ?? 0];
  const server = `https://127.0.0.1:${apiPort}`;
  const apiLog = join(dir, 'kube-apiserver.log');
  const cmLog = join(dir, 'kube-controller-manager.log');
  const stop = async () => {
    for (const pid of pids) await terminatePid(pid, 15_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually('etcd', async () => (await fetch(`${etcdUrl}/health`)).ok, 30_000, 100);
    const apiserver = spawnDetached(
      bin.kubeApiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${dir}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--client-ca-file=${pki.caCert}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        '--authorization-mode=RBAC',
        '--service-cluster-ip-range=10.0.0.0/16',
        '--allow-privileged=true',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        // No kubelet mounts service-account token volumes, and a pod created before its namespace's `default`
        // service account exists would be refused.
        '--disable-admission-plugins=ServiceAccount',
        '--v=1',
      ],
      apiLog,
    );
    pids.unshift(apiserver.pid ?? 0);
    await eventually('kube-apiserver', () => answers(server, pki, '/readyz'), 120_000, 100);
    const cmKubeconfig = join(dir, 'controller-manager.kubeconfig');
    await writeKubeconfig(cmKubeconfig, server, pki, {
      cert: pki.controllerManagerCert,
      key: pki.controllerManagerKey,
    });
    const controllerManager = spawnDetached(
      bin.kubeControllerManager,
      [
        `--kubeconfig=${cmKubeconfig}`,
        // No serving port: nothing here scrapes it, and it would need a port of its own.
        '--secure-port=0',
        '--leader-elect=false',
        `--controllers=${KUBE_CONTROLLERS.join(',')}`,
        // Each controller acts as its own service account, with the bootstrap policy's role for it.
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        '--v=1',
      ],
      cmLog,
    );
    pids.unshift(controllerManager.pid ?? 0);
    // The service-account controller gives every namespace its `default` account: the controllers are working.
    await eventually(
      'kube-controller-manager',
      () => answers(server, pki, '/api/v1/namespaces/default/serviceaccounts/default'),
      120_000,
      100,
    );
  } catch (err) {
    // The logs say why (a port taken, a bad flag); read them before stop() removes the folder.
    const logs = [
      `--- kube-controller-manager log ---\n${await logTail(cmLog)}`,
      `--- kube-apiserver log ---\n${await logTail(apiLog)}`,
      `--- etcd log ---\n${await logTail(etcdLog)}`,
    ].join('\n');
    await stop();
    throw new Error(`${String(err)}\n${logs}`);
  }
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, server, pki);
  let stopped = false;
  return {
    name: 'kube',
    kubeconfig,
    server,
    env: { KUBECONFIG: kubeconfig },
    pids,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stop();
    },
  };
}

/** Access to an API server for a test suite; `stop()` removes it only when this suite started it. */
export interface KubeAccess {
  readonly kubeconfig: string;
  readonly server: KubeServer | undefined;
  stop(): Promise<void>;
}

/** The cluster named by KUBECONFIG, else a freshly started envtest-style control plane. */
export async function useKube(): Promise<KubeAccess> {
  const given = process.env.KUBECONFIG;
  if (given) return { kubeconfig: given, server: undefined, stop: async () => undefined };
  const server = await startKube();
  return { kubeconfig: server.kubeconfig, server, stop: () => server.stop() };
}
