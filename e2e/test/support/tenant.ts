/**
 * A sample TodoApp rendered by the operator's own functions, mapped onto loopback servers: the daprd
 * components (the Kubernetes secret store becomes a local file store of the same name, holding the tenant
 * Secret's keys) and the API environment the kubelet would give the container.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeStandaloneResources } from '@todo/infra';
import {
  APP_TOKEN_KEY,
  apiEnvironment,
  appId,
  childNames,
  desiredConfigMap,
  desiredDaprApiTokenSecret,
  desiredDaprComponents,
  desiredDeployment,
  desiredResiliency,
  desiredSecret,
  type KubeObject,
  type TodoApp,
} from '@todo/operator/desired';
import { defaultedTodoApp } from '@todo/operator/testing';

export interface TenantOptions {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly brokers: string[];
  readonly topicPrefix: string;
  readonly databaseUrl: string;
}

export interface RenderedTenant {
  readonly app: TodoApp;
  readonly appId: string;
  /** The folder of Component (and Resiliency) files both sidecars load. */
  readonly resourcesPath: string;
  /** The API container's environment (PORT and DAPR_HTTP_PORT are the pod's, set per replica). */
  readonly apiEnv: Record<string, string>;
  /**
   * What the sidecar injector gives daprd: the app token from `dapr.io/app-token-secret`, the Dapr API token from
   * `dapr.io/api-token-secret`, the namespace.
   */
  readonly sidecarEnv: Record<string, string>;
  /** The daprd flags the sidecar injector derives from the pod's `dapr.io/*` annotations (the app health check). */
  readonly sidecarArgs: string[];
  /** The sidecar's Dapr API token, as the operator generated it. */
  readonly daprApiToken: string;
  readonly pubsubName: string;
  readonly components: KubeObject[];
}

/** The injector's flag for each pod annotation the suite's sidecars follow. */
const FLAG_OF_ANNOTATION: Record<string, string> = {
  'dapr.io/enable-app-health-check': 'enable-app-health-check',
  'dapr.io/app-health-check-path': 'app-health-check-path',
  'dapr.io/app-health-probe-interval': 'app-health-probe-interval',
  'dapr.io/app-health-threshold': 'app-health-threshold',
};

function sidecarArgs(deployment: KubeObject): string[] {
  const spec = deployment.spec as { template: { metadata: { annotations: Record<string, string> } } };
  const annotations = spec.template.metadata.annotations;
  return Object.entries(FLAG_OF_ANNOTATION).flatMap(([annotation, flag]) =>
    annotations[annotation] === undefined ? [] : [`--${flag}=${annotations[annotation]}`],
  );
}

/** Renders the tenant into `dir`: its components in `resources/`, its Secret's keys in `secrets.json`. */
export async function renderTenant(
  o: TenantOptions,
  dir: string,
  tokens: { app: string; jwt: string; daprApi: string },
): Promise<RenderedTenant> {
  // Dapr on (the default) and reminders on the Jobs API.
  const app = defaultedTodoApp(
    o.name,
    {
      image: 'ghcr.io/owner/todo-api:e2e',
      replicas: o.replicas,
      reminders: { backend: 'dapr-jobs' },
      kafka: { brokers: o.brokers, topicPrefix: o.topicPrefix },
    },
    o.namespace,
  );
  const secret = desiredSecret(app, {
    jwtSecret: tokens.jwt,
    appToken: tokens.app,
    databaseUrl: o.databaseUrl,
  });
  const daprApiSecret = desiredDaprApiTokenSecret(app, tokens.daprApi)!;
  const deployment = desiredDeployment(app, 'e2e');
  const env = apiEnvironment(deployment, desiredConfigMap(app), secret, daprApiSecret);
  const decoded = (s: KubeObject) =>
    Object.fromEntries(
      Object.entries(s.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
  const secretData = decoded(secret);
  const resourcesPath = join(dir, 'resources');
  await mkdir(resourcesPath, { recursive: true });
  const written = await writeStandaloneResources(
    resourcesPath,
    [...desiredDaprComponents(app), desiredResiliency(app)!],
    join(dir, 'secrets.json'),
    secretData,
  );
  const components = written.filter((r) => r.kind === 'Component');
  const apiEnv = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    app,
    appId: appId(app),
    resourcesPath,
    apiEnv,
    sidecarEnv: {
      APP_API_TOKEN: secretData[APP_TOKEN_KEY]!,
      DAPR_API_TOKEN: decoded(daprApiSecret)[APP_TOKEN_KEY]!,
      NAMESPACE: o.namespace,
    },
    sidecarArgs: sidecarArgs(deployment),
    daprApiToken: decoded(daprApiSecret)[APP_TOKEN_KEY]!,
    pubsubName: childNames(app).pubsub,
    components,
  };
}
