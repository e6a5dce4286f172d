import { InfraUnavailableError, type RunningServer } from './process.js';

export interface KubeServer extends RunningServer {
  readonly kubeconfig: string;
}

/** Starts etcd and kube-apiserver envtest-style on loopback. */
export async function startKube(): Promise<KubeServer> {
  throw new InfraUnavailableError('Kubernetes harness not built yet');
}
