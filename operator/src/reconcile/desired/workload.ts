/** The tenant's API workload: its config, secret, Deployment and Service. */
import { createHash } from 'node:crypto';
import type { ApiEnv, ApiEnvVariable } from '@todo/contract';
import type { TodoApp } from '../../crd/todoapp.js';
import type { KubeObject } from '../../kube/client.js';
import { encodeSecretData } from '../../kube/secret-data.js';
import { STATESTORE_ANNOTATION } from './dapr.js';
import { APP_PORT, appId, childMeta, childNames, labels, SERVICE_PORT, selectorLabels } from './meta.js';

/** Values the reconciler resolves before rendering (they come from I/O, so they are inputs here). */
export interface ResolvedInputs {
  jwtSecret: string;
  databaseUrl: string;
  /** The token the Dapr sidecar sends the API (header `dapr-api-token`), so only the sidecar reaches /events. */
  appToken: string;
}

/** The key Dapr's sidecar injector reads from the Secret named by `dapr.io/app-token-secret`. */
export const APP_TOKEN_KEY = 'token';

const CHECKSUM_ANNOTATION = 'tenancy.todo.dev/config-checksum';

/** The non-secret configuration of the API, as environment variables. */
export function desiredConfigMap(app: TodoApp): KubeObject {
  const { spec } = app;
  // Typed against the API's env schema: a variable the API does not read is a compile error.
  const data: ApiEnv = {
    PORT: String(APP_PORT),
    EVENT_BUS: spec.dapr.enabled ? 'dapr' : 'kafka',
    PUBSUB_NAME: childNames(app).pubsub,
    TOPIC_PREFIX: spec.kafka.topicPrefix,
    REMINDER_BACKEND: spec.reminders.backend,
    // Clients reach the API through the cluster's ingress or gateway, whose pods (and a cloud load balancer in
    // front of them) have private addresses: their X-Forwarded-For names the client, for per-address limits.
    TRUST_PROXY: 'uniquelocal',
  };
  // Without a sidecar the API talks to Kafka itself.
  if (!spec.dapr.enabled) data.KAFKA_BROKERS = spec.kafka.brokers.join(',');
  // The assistant keeps its conversations in the tenant's state store when one is rendered (dapr.ts).
  else if (app.metadata.annotations?.[STATESTORE_ANNOTATION] === 'true') {
    data.STATESTORE_NAME = childNames(app).statestore;
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: childMeta(app, childNames(app).config), data };
}

/** The `<name>-app` Secret: the JWT secret and app token (both stable across reconciles), the database URL. */
export function desiredSecret(app: TodoApp, inputs: ResolvedInputs): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMeta(app, childNames(app).secret),
    type: 'Opaque',
    data: encodeSecretData({
      ...({ JWT_SECRET: inputs.jwtSecret, DATABASE_URL: inputs.databaseUrl } satisfies ApiEnv),
      // Read by the sidecar injector, not the API (which gets it as APP_API_TOKEN below).
      [APP_TOKEN_KEY]: inputs.appToken,
    }),
  };
}

/**
 * A digest of what the pods read at start-up, the sidecar's Dapr Components included (daprd loads them when it
 * starts: a new broker or consumer group reaches running pods only by rolling them); it changes the pod template.
 */
export function configChecksum(config: KubeObject, secret: KubeObject, components: KubeObject[]): string {
  const read = components.map(({ metadata, ...component }) => [metadata.name, component]);
  return createHash('sha256')
    .update(JSON.stringify([config.data, secret.data, read]))
    .digest('hex')
    .slice(0, 32);
}

type Resources = NonNullable<TodoApp['spec']['resources']>;

/** What the API container and the sidecar get when the spec does not say (sized for the OKE free tier). */
export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '512Mi' },
};
export const DEFAULT_SIDECAR_RESOURCES: Resources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/** Quantities as the API server returns them (strings), so the drift check compares like with like. */
function asStrings(resources: Resources): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [kind, values] of Object.entries(resources)) {
    out[kind] = Object.fromEntries(
      Object.entries(values ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
  }
  return out;
}

/** The sidecar injector's annotations `dapr.io/sidecar-<cpu|memory>-<request|limit>`, one per value given. */
function sidecarResourceAnnotations(resources: Resources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, values] of [
    ['request', resources.requests],
    ['limit', resources.limits],
  ] as const) {
    for (const [name, value] of Object.entries(values ?? {})) {
      if (value !== undefined) out[`dapr.io/sidecar-${name}-${kind}`] = String(value);
    }
  }
  return out;
}

/**
 * The sidecar probes `/readyz` (which fails while the database is unreachable) every second and, after 2 failures,
 * stops delivering events until it passes again: an event in the middle of its retries is left for redelivery,
 * so a database outage holds events instead of spending their retries into the dead-letter topic (dapr.ts).
 */
export const APP_HEALTH_CHECK = {
  'dapr.io/enable-app-health-check': 'true',
  'dapr.io/app-health-check-path': '/readyz',
  'dapr.io/app-health-probe-interval': '1',
  'dapr.io/app-health-threshold': '2',
} as const;

function daprAnnotations(app: TodoApp): Record<string, string> {
  const { dapr } = app.spec;
  if (!dapr.enabled) return { 'dapr.io/enabled': 'false' };
  return {
    'dapr.io/enabled': 'true',
    'dapr.io/app-id': appId(app),
    'dapr.io/app-port': String(APP_PORT),
    'dapr.io/app-token-secret': childNames(app).secret,
    // The sidecar refuses calls to its API without this token; the API gets it as DAPR_API_TOKEN.
    'dapr.io/api-token-secret': childNames(app).daprApiToken,
    ...APP_HEALTH_CHECK,
    ...(dapr.config ? { 'dapr.io/config': dapr.config } : {}),
    'dapr.io/log-level': dapr.logLevel,
    ...sidecarResourceAnnotations(dapr.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES),
  };
}

const probe = (path: string, periodSeconds: number) => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  failureThreshold: 3,
});

/** The API Deployment: hardened pod, probes, env from the ConfigMap and Secret, Dapr sidecar annotations. */
export function desiredDeployment(app: TodoApp, checksum: string): KubeObject {
  const names = childNames(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: childMeta(app, names.api),
    spec: {
      replicas: app.spec.replicas,
      selector: { matchLabels: selectorLabels(app) },
      template: {
        metadata: {
          labels: labels(app),
          annotations: { ...daprAnnotations(app), [CHECKSUM_ANNOTATION]: checksum },
        },
        spec: {
          // The sidecar's Kubernetes secret store reads the tenant's Secrets as this account (identity.ts).
          serviceAccountName: names.serviceAccount,
          ...(app.spec.imagePullSecrets?.length ? { imagePullSecrets: app.spec.imagePullSecrets } : {}),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'api',
              image: app.spec.image,
              ports: [{ name: 'http', containerPort: APP_PORT, protocol: 'TCP' }],
              envFrom: [{ configMapRef: { name: names.config } }, { secretRef: { name: names.secret } }],
              // The same value the sidecar sends; the API refuses /events and /job calls without it.
              env: [
                {
                  name: 'APP_API_TOKEN' satisfies ApiEnvVariable,
                  valueFrom: { secretKeyRef: { name: names.secret, key: APP_TOKEN_KEY } },
                },
                ...(app.spec.dapr.enabled
                  ? [
                      {
                        name: 'DAPR_API_TOKEN' satisfies ApiEnvVariable,
                        valueFrom: { secretKeyRef: { name: names.daprApiToken, key: APP_TOKEN_KEY } },
                      },
                    ]
                  : []),
              ],
              readinessProbe: probe('/readyz', 5),
              livenessProbe: probe('/healthz', 10),
              resources: asStrings(app.spec.resources ?? DEFAULT_RESOURCES),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              // The root filesystem is read-only; Node and the API may still need a scratch directory.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** ClusterIP Service in front of the API pods. */
export function desiredService(app: TodoApp): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(app, childNames(app).api),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(app),
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** The Ingress when the spec asks for one, else undefined (and an existing one is pruned). */
export function desiredIngress(app: TodoApp): KubeObject | undefined {
  const ingress = app.spec.ingress;
  if (!ingress) return undefined;
  const backend = { service: { name: childNames(app).api, port: { name: 'http' } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: childMeta(app, childNames(app).ingress),
    spec: {
      ...(ingress.className ? { ingressClassName: ingress.className } : {}),
      ...(ingress.tlsSecretName
        ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] }
        : {}),
      rules: [{ host: ingress.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    },
  };
}

/**
 * Where users reach the tenant: the Ingress host, else the route's first host name (http: the Gateway's listener,
 * which the operator does not read, decides whether TLS is offered), else the in-cluster Service.
 */
export function appUrl(app: TodoApp): string {
  const { ingress, gateway } = app.spec;
  if (ingress) return `${ingress.tlsSecretName ? 'https' : 'http'}://${ingress.host}`;
  const host = gateway?.hostnames?.find((h) => !h.startsWith('*.'));
  if (host) return `http://${host}`;
  return `http://${childNames(app).api}.${app.metadata.namespace}.svc.cluster.local`;
}
