import { prepare } from '@todo/infra';

/** helm, kubeconform, actionlint, hadolint, kube-apiserver and the upstream CRDs, outside every test's timeout. */
export async function setup(): Promise<void> {
  await prepare();
}
