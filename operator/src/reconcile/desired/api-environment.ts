/**
 * The environment the API container starts with, resolved from the rendered objects as the kubelet resolves
 * it (`envFrom` in order, then `env`, which wins). What the operator hands the API's config loader.
 */
import type { KubeObject } from '../../kube/client.js';
import { secretValue } from '../../kube/secret-data.js';

interface ContainerEnv {
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}

export function apiEnvironment(
  deployment: KubeObject,
  configMap: KubeObject,
  ...secrets: (KubeObject | undefined)[]
): Record<string, string | undefined> {
  const spec = deployment.spec as { template: { spec: { containers: ContainerEnv[] } } };
  const container = spec.template.spec.containers[0] ?? {};
  const secretData = (name: string) => {
    const secret = secrets.find((s) => s?.metadata.name === name);
    return secret
      ? Object.fromEntries(Object.keys(secret.data ?? {}).map((k) => [k, secretValue(secret, k)]))
      : {};
  };
  const env: Record<string, string | undefined> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef?.name === configMap.metadata.name)
      Object.assign(env, configMap.data as Record<string, string>);
    if (source.secretRef) Object.assign(env, secretData(source.secretRef.name));
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    const ref = valueFrom?.secretKeyRef;
    env[name] = ref ? secretData(ref.name)[ref.key] : value;
  }
  return env;
}
