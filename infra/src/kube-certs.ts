/** The PKI an envtest-style API server needs, generated with the `openssl` CLI into a throw-away folder. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, createSignedCert, openssl } from './test-ca.js';

export interface KubePki {
  readonly caCert: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  /** The client certificate of kube-controller-manager (user system:kube-controller-manager). */
  readonly controllerManagerCert: string;
  readonly controllerManagerKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

/**
 * Creates a CA, a serving cert for 127.0.0.1/localhost, client certs for an admin (group system:masters) and
 * for kube-controller-manager, and the service-account signing key pair.
 */
export async function createKubePki(dir: string): Promise<KubePki> {
  const ca = { dir, purpose: "the test API server's certificates", days: 30 };
  await createCa(ca, '/CN=todo-test-ca');
  await createSignedCert(
    ca,
    'serving',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n',
  );
  await createSignedCert(ca, 'admin', '/O=system:masters/CN=admin', 'extendedKeyUsage=clientAuth\n');
  // The user the bootstrap RBAC policy grants what kube-controller-manager needs to start its controllers
  // under their own service accounts (--use-service-account-credentials).
  await createSignedCert(
    ca,
    'controller-manager',
    '/CN=system:kube-controller-manager',
    'extendedKeyUsage=clientAuth\n',
  );
  await openssl(dir, ['genrsa', '-out', 'sa.key', '2048'], ca.purpose);
  await openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], ca.purpose);
  const at = (f: string) => join(dir, f);
  return {
    caCert: at('ca.crt'),
    servingCert: at('serving.crt'),
    servingKey: at('serving.key'),
    adminCert: at('admin.crt'),
    adminKey: at('admin.key'),
    controllerManagerCert: at('controller-manager.crt'),
    controllerManagerKey: at('controller-manager.key'),
    serviceAccountKey: at('sa.key'),
    serviceAccountPub: at('sa.pub'),
  };
}

/**
 * A kubeconfig with the PKI embedded, so the file works from any directory; it authenticates as the admin
 * unless another client certificate is given.
 */
export async function writeKubeconfig(
  file: string,
  server: string,
  pki: KubePki,
  client: { cert: string; key: string } = { cert: pki.adminCert, key: pki.adminKey },
): Promise<void> {
  const b64 = async (f: string) => (await readFile(f)).toString('base64');
  const yaml = `apiVersion: v1
kind: Config
clusters:
- name: todo-test
  cluster:
    server: ${server}
    certificate-authority-data: ${await b64(pki.caCert)}
users:
- name: admin
  user:
    client-certificate-data: ${await b64(client.cert)}
    client-key-data: ${await b64(client.key)}
contexts:
- name: todo-test
  context:
    cluster: todo-test
    user: admin
    namespace: default
current-context: todo-test
`;
  await writeFile(file, yaml, { mode: 0o600 });
}
