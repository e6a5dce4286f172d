/** A real API server (or KUBECONFIG's) with the TodoApp CRD and the Dapr Component CRD installed. */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { type KubeAccess, upstreamCrdFiles, useKube } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { parse } from 'yaml';
import { KubeClient, type KubeObject } from '../../src/kube/client.js';
import { isNotFound } from '../../src/kube/errors.js';
import { type ClusterAccess, loadKubeconfigFile } from '../../src/kube/kubeconfig.js';
import { collectionPath, KINDS, objectPath } from '../../src/kube/resources.js';

export const repoFile = (path: string) => new URL(`../../../${path}`, import.meta.url);

export interface Cluster {
  access: KubeAccess;
  /** How the admin reaches the cluster. */
  adminAccess: ClusterAccess;
  admin: KubeClient;
}

export async function useCluster(): Promise<Cluster> {
  const access = await useKube();
  const adminAccess = loadKubeconfigFile(access.kubeconfig);
  return { access, adminAccess, admin: KubeClient.fromAccess(adminAccess) };
}

/** Installs a CRD from a YAML file and waits until its API is served. */
export async function installCrd(client: KubeClient, file: URL): Promise<void> {
  const crd = parse(await readFile(file, 'utf8')) as KubeObject & {
    spec: { group: string; versions: { name: string }[] };
  };
  await client.apply(objectPath(KINDS.crd, undefined, crd.metadata.name), crd);
  const version = crd.spec.versions[0]?.name;
  await eventually(
    `CRD ${crd.metadata.name}`,
    async () => {
      const served = await client.get<{ resources: { name: string }[] }>(
        `/apis/${crd.spec.group}/${version}`,
      );
      return served.resources.length > 0;
    },
    30_000,
  );
}

/** The TodoApp CRD exactly as committed under crds/, and Dapr's own Component and Resiliency CRDs. */
export async function installCrds(client: KubeClient): Promise<void> {
  await installCrd(client, repoFile('crds/todoapps.tenancy.todo.dev.yaml'));
  const dapr = (await upstreamCrdFiles('dapr')).filter((f) => /\/(components|resiliency)\.yaml$/.test(f));
  if (dapr.length !== 2)
    throw new Error(`Dapr's Component and Resiliency CRDs not found: ${dapr.join(', ')}`);
  for (const file of dapr) await installCrd(client, pathToFileURL(file));
}

/** Gateway API's HTTPRoute and Gateway CRDs (standard channel), from the upstream module the harness prepares. */
export async function installGatewayApiCrds(client: KubeClient): Promise<void> {
  const files = (await upstreamCrdFiles('gateway-api')).filter((f) =>
    /_(httproutes|gateways)\.yaml$/.test(f),
  );
  if (files.length !== 2) throw new Error(`Gateway API CRDs not found: ${files.join(', ')}`);
  for (const file of files) await installCrd(client, pathToFileURL(file));
}

/**
 * Creates a namespace under Pod Security's `restricted` level, as the issue asks of tenant and operator
 * namespaces: the harness's controller-manager makes the pods of every Deployment, and the API server refuses
 * any that fall short (the Deployment then reports ReplicaFailure).
 */
export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.apply(
    objectPath({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces' }, undefined, name),
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
  );
}

/** GETs an object, or undefined when it does not exist. */
export async function find<T = KubeObject>(
  client: KubeClient,
  kind: keyof typeof KINDS,
  ns: string,
  name: string,
): Promise<T | undefined> {
  try {
    return await client.get<T>(objectPath(KINDS[kind], ns, name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function createSecret(
  client: KubeClient,
  ns: string,
  name: string,
  data: Record<string, string>,
): Promise<void> {
  await client.request('POST', collectionPath(KINDS.secret, ns), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    stringData: data,
  });
}

/**
 * Access as a ServiceAccount: the admin's server and CA, but a TokenRequest token of `namespace/name` instead
 * of the admin's client certificate.
 */
export async function serviceAccountAccess(
  cluster: Cluster,
  namespace: string,
  name: string,
): Promise<ClusterAccess> {
  const { status } = await cluster.admin.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  return {
    server: cluster.adminAccess.server,
    ca: cluster.adminAccess.ca,
    namespace,
    token: async () => status.token,
  };
}
