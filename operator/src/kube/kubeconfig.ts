/**
 * How to reach the API server: from the kubeconfig's current context (KUBECONFIG or ~/.kube/config) or, inside a
 * pod, from the mounted service account. Our own small loader: the full client library costs ~66 MiB of RSS,
 * half the operator's memory budget, for what is a page of YAML reading.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterAccess {
  server: string;
  namespace: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify?: boolean;
  /** Returns the bearer token to send, if this access uses one (read fresh: tokens rotate). */
  token?: () => Promise<string>;
}

/** Raised when no usable configuration is found; the message names what was looked at. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
}

interface RawUser {
  'client-certificate-data'?: string;
  'client-certificate'?: string;
  'client-key-data'?: string;
  'client-key'?: string;
  token?: string;
  tokenFile?: string;
  exec?: ExecConfig;
}

function pick<T>(list: Named<T>[] | undefined, name: string, field: string, what: string): T {
  const entry = list?.find((e) => e.name === name)?.[field] as T | undefined;
  if (!entry) throw new KubeconfigError(`the kubeconfig has no ${what} named "${name}"`);
  return entry;
}

/** Inline `*-data` (base64) or a file path relative to the kubeconfig's folder. */
function material(data: string | undefined, file: string | undefined, base: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFileSync(isAbsolute(file) ? file : join(base, file));
  return undefined;
}

/** Runs a client-go exec credential plugin (e.g. `oci ce cluster generate-token`), caching until expiry. */
function execToken(exec: ExecConfig): () => Promise<string> {
  let cached: { token: string; expires: number } | undefined;
  return async () => {
    if (cached && cached.expires > Date.now() + 30_000) return cached.token;
    const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
    const out = await new Promise<string>((resolve, reject) =>
      execFile(exec.command, exec.args ?? [], { env, timeout: 30_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    const status = (JSON.parse(out) as { status?: { token?: string; expirationTimestamp?: string } }).status;
    if (!status?.token) throw new KubeconfigError(`exec credential plugin ${exec.command} returned no token`);
    cached = {
      token: status.token,
      expires: status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Date.now() + 60_000,
    };
    return status.token;
  };
}

/** Reads the current context of a kubeconfig file. */
export function loadKubeconfigFile(path: string): ClusterAccess {
  const doc = parse(readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: Named<{ cluster: string; user: string; namespace?: string }>[];
    clusters?: Named<{
      server: string;
      'certificate-authority-data'?: string;
      'certificate-authority'?: string;
      'insecure-skip-tls-verify'?: boolean;
    }>[];
    users?: Named<RawUser>[];
  };
  const contextName = doc['current-context'];
  if (!contextName) throw new KubeconfigError(`${path} has no current-context`);
  const context = pick(doc.contexts, contextName, 'context', 'context');
  const cluster = pick(doc.clusters, context.cluster, 'cluster', 'cluster');
  const user = doc.users?.find((u) => u.name === context.user)?.user as RawUser | undefined;
  const base = dirname(path);
  const access: ClusterAccess = {
    server: cluster.server,
    namespace: context.namespace ?? 'default',
    ca: material(cluster['certificate-authority-data'], cluster['certificate-authority'], base),
    cert: material(user?.['client-certificate-data'], user?.['client-certificate'], base),
    key: material(user?.['client-key-data'], user?.['client-key'], base),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  if (user?.token) {
    const token = user.token;
    access.token = async () => token;
  } else if (user?.tokenFile) {
    const file = user.tokenFile;
    access.token = async () => readFileSync(file, 'utf8').trim();
  } else if (user?.exec) {
    access.token = execToken(user.exec);
  }
  return access;
}

/** In a pod: the API server from the environment, the mounted CA, namespace and (rotating) token. */
export function loadInCluster(): ClusterAccess {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  return {
    server: `https://${host?.includes(':') ? `[${host}]` : host}:${port}`,
    namespace: readFileSync(join(SA_DIR, 'namespace'), 'utf8').trim(),
    ca: readFileSync(join(SA_DIR, 'ca.crt')),
    token: async () => readFileSync(join(SA_DIR, 'token'), 'utf8').trim(),
  };
}

/** KUBECONFIG (its first file), else ~/.kube/config, else the in-cluster service account. */
export function loadClusterAccess(env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  const fromEnv = env.KUBECONFIG?.split(':').find(Boolean);
  const file = fromEnv ?? join(homedir(), '.kube', 'config');
  if (existsSync(file)) return loadKubeconfigFile(file);
  if (env.KUBERNETES_SERVICE_HOST && existsSync(join(SA_DIR, 'token'))) return loadInCluster();
  throw new KubeconfigError(
    `no kubeconfig at ${file} and not running in a pod: set KUBECONFIG or run inside the cluster`,
  );
}
