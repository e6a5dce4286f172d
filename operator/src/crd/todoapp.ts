/**
 * The one definition of the TodoApp resource: the zod schemas below give the reconciler its TypeScript types and
 * the CRD its OpenAPI v3 schema (see manifest.ts), so the two cannot disagree.
 */
import { z } from 'zod';

export const GROUP = 'tenancy.todo.dev';
export const VERSION = 'v1alpha1';
export const KIND = 'TodoApp';
export const PLURAL = 'todoapps';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** CEL rules travel with the schema node they guard; the API server reports `message` to the user. */
const cel = (...rules: { rule: string; message: string; fieldPath?: string }[]) => ({
  'x-kubernetes-validations': rules,
});

const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/**
 * Dapr's sidecar injector names a Service `<app id>-dapr`, and a Service name is a DNS label (≤ 63): an app id
 * may have at most 58 characters (dapr/dapr#4023).
 */
const DAPR_APP_ID_MAX = 58;

/**
 * What a TodoApp may be called. Its name becomes the Service `<name>-api` (a DNS-1035 label: it starts with a
 * letter), the default Dapr app id `<name>-todo` (≤ 58) and `PUBSUB_NAME=<name>-pubsub`, which the API accepts
 * only as a Dapr component name (no dots). Checked at admission by a CEL rule on the object (see manifest.ts).
 */
export const TODOAPP_NAME_MAX = DAPR_APP_ID_MAX - '-todo'.length;
export const TODOAPP_NAME_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
export const todoAppName = z.string().max(TODOAPP_NAME_MAX).regex(new RegExp(TODOAPP_NAME_PATTERN));

/** The API's limit on TOPIC_PREFIX (see @todo/contract's configSchema). */
export const TOPIC_PREFIX_MAX = 100;
const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);

/** A key of a Secret in the TodoApp's namespace. */
const secretKey = (what: string, key: string) =>
  z.object({
    name: z.string().min(1).max(253).describe(`Secret in the TodoApp namespace holding ${what}`),
    key: z.string().min(1).max(253).default(key).describe(`Key of ${what} inside the Secret`),
  });

const database = z
  .object({
    secretRef: secretKey('the PostgreSQL URL', 'url').optional(),
    managed: z.object({}).optional().describe("Create a database and role on the operator's own PostgreSQL"),
  })
  .meta(
    cel({
      rule: 'has(self.secretRef) != has(self.managed)',
      message: 'database needs exactly one of secretRef or managed',
    }),
  );

const kafkaTls = z.object({
  enabled: z.boolean().describe('Connect to the brokers over TLS'),
  caSecretRef: secretKey('the PEM CA certificate of the brokers', 'ca.crt')
    .optional()
    .describe("CA of the brokers' certificates; the system roots when unset"),
});

/** The SASL mechanisms Dapr's pubsub.kafka offers, as Kafka names them. */
export const KAFKA_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'] as const;

const kafkaSasl = z.object({
  mechanism: z.enum(KAFKA_SASL_MECHANISMS),
  secretRef: z
    .object({ name: z.string().min(1).max(253) })
    .describe(
      'Secret in the TodoApp namespace with keys `username` and `password` (type kubernetes.io/basic-auth)',
    ),
});

const kafka = z
  .object({
    brokers: z
      .array(
        z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^\s:]+:[0-9]{1,5}$/),
      )
      .min(1)
      .max(20)
      .describe(
        'host:port bootstrap brokers, e.g. redpanda.redpanda.svc.cluster.local:9093 (Redpanda chart, internal)',
      ),
    topicPrefix: z
      .string()
      .min(1)
      .max(TOPIC_PREFIX_MAX)
      .regex(/^[a-zA-Z0-9._-]+$/)
      .meta(
        cel({ rule: 'self == oldSelf', message: 'kafka.topicPrefix is immutable: topics cannot be renamed' }),
      )
      .describe('Topics are <topicPrefix>.task-events, .reminders and .task-updates'),
    partitions: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(3)
      .meta(
        cel({
          rule: 'self >= oldSelf',
          message: 'kafka.partitions may not decrease: Kafka cannot remove partitions',
        }),
      ),
    replicationFactor: z.number().int().min(1).max(10).default(1),
    tls: kafkaTls.optional(),
    sasl: kafkaSasl.optional().describe('SASL authentication; the credentials stay in a Secret'),
  })
  .meta(
    cel(
      {
        // Dapr's pubsub.kafka turns TLS off under authType none, and its TLS-only authType needs a CA.
        rule: '!has(self.tls) || !self.tls.enabled || has(self.tls.caSecretRef) || has(self.sasl)',
        message:
          "kafka.tls.enabled without kafka.sasl needs kafka.tls.caSecretRef: Dapr's Kafka component enables TLS without SASL only with a CA certificate",
      },
      {
        rule: '!has(self.tls) || self.tls.enabled || !has(self.tls.caSecretRef)',
        message: 'kafka.tls.caSecretRef needs kafka.tls.enabled: a CA certificate is only used over TLS',
      },
    ),
  );

/** A Kubernetes quantity (`500m`, `256Mi`, `1`), as core/v1 writes it: an integer or a string. */
const quantity = z
  .union([
    z.number().int().min(0),
    z.string().regex(/^([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][0-9]+)?$/),
  ])
  .meta({ 'x-kubernetes-int-or-string': true });
const cpuAndMemory = z.object({ cpu: quantity.optional(), memory: quantity.optional() });

/** core/v1 ResourceRequirements, for the two resources a todo API pod and its sidecar are sized by. */
/** Kubernetes refuses a request above its limit only when it creates the pod: the sidecar's would fail unseen. */
const requestWithinLimit = (r: 'cpu' | 'memory') => ({
  rule: `!has(self.requests) || !has(self.limits) || !has(self.requests.${r}) || !has(self.limits.${r}) || quantity(string(self.requests.${r})).compareTo(quantity(string(self.limits.${r}))) <= 0`,
  message: `the ${r} request may not exceed the ${r} limit`,
});

const resources = z
  .object({ requests: cpuAndMemory.optional(), limits: cpuAndMemory.optional() })
  .meta(cel(requestWithinLimit('cpu'), requestWithinLimit('memory')))
  .describe('CPU and memory requests and limits; replaces the defaults as a whole');

const dapr = z.object({
  enabled: z.boolean().default(true),
  appId: dnsLabel.max(DAPR_APP_ID_MAX).optional().describe('Dapr app id; defaults to <name>-todo'),
  config: dnsLabel.optional().describe('Name of a Dapr Configuration for the sidecar'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  sidecarResources: resources
    .optional()
    .describe("The Dapr sidecar's CPU and memory (dapr.io/sidecar-* annotations)"),
});

const ingress = z.object({
  host: hostname,
  className: dnsLabel.optional(),
  tlsSecretName: z.string().min(1).max(253).optional(),
});

/** A DNS-1123 subdomain, as Gateway API writes a listener (section) name. */
const subdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);

/** Gateway API routing: an HTTPRoute `<name>` attached to these Gateways; limits as in HTTPRoute v1. */
const gateway = z.object({
  parentRefs: z
    .array(
      z.object({
        name: z.string().min(1).max(253).describe('Name of the Gateway'),
        namespace: dnsLabel.optional().describe("The Gateway's namespace; the TodoApp's when unset"),
        sectionName: subdomain
          .optional()
          .describe('A listener of the Gateway; all that allow the route when unset'),
      }),
    )
    .min(1)
    .max(32)
    .describe('The Gateways the route attaches to'),
  hostnames: z
    .array(hostname)
    .max(16)
    .optional()
    .describe(
      "Host names the route answers; the listeners' when unset. The first without a wildcard is status.url",
    ),
});

export const todoAppSpecSchema = z
  .object({
    image: z.string().min(1).max(500).describe('The todo API image, e.g. ghcr.io/OWNER/todo-api:TAG'),
    replicas: z.number().int().min(0).max(50).default(1),
    imagePullSecrets: z
      .array(z.object({ name: z.string().min(1).max(253) }))
      .max(20)
      .optional()
      .describe('Secrets in the TodoApp namespace to pull the image with'),
    resources: resources
      .optional()
      .describe("The API container's CPU and memory; replaces the defaults as a whole"),
    database,
    kafka,
    dapr: dapr.default({ enabled: true, logLevel: 'info' }),
    ingress: ingress.optional(),
    gateway: gateway
      .optional()
      .describe('Route through a Gateway API Gateway (HTTPRoute <name>), beside or instead of ingress'),
    reminders: z
      .object({ backend: z.enum(['dapr-jobs', 'database']).default('database') })
      .default({ backend: 'database' }),
    deletionPolicy: z
      .enum(['Retain', 'Delete'])
      .default('Retain')
      .describe('Delete removes the topics and a managed database with the TodoApp'),
  })
  .meta(
    cel(
      {
        rule: "!has(self.reminders) || self.reminders.backend != 'dapr-jobs' || !has(self.dapr) || self.dapr.enabled",
        message: 'reminders.backend dapr-jobs needs dapr.enabled: the Dapr Jobs API lives in the sidecar',
      },
      {
        rule: '!has(self.dapr) || self.dapr.enabled || (!has(self.kafka.sasl) && (!has(self.kafka.tls) || !self.kafka.tls.enabled))',
        message:
          'kafka.tls and kafka.sasl need dapr.enabled: the Dapr sidecar connects with them, the API alone connects without',
      },
    ),
  );

export const conditionSchema = z.object({
  type: z.string().min(1).max(316),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: z.string(),
  reason: z.string().min(1).max(1024),
  message: z.string().max(32768),
});

export const todoAppStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  url: z.string().optional(),
  readyReplicas: z.number().int().optional(),
  topics: z.array(z.object({ name: z.string(), partitions: z.number().int() })).optional(),
  conditions: z.array(conditionSchema).optional(),
});

/** The spec as the reconciler sees it: after the API server has applied the schema's defaults. */
export type TodoAppSpec = z.output<typeof todoAppSpecSchema>;
export type TodoAppStatus = z.output<typeof todoAppStatusSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type ConditionType =
  | 'Ready'
  | 'DatabaseReady'
  | 'TopicsReady'
  | 'DeploymentAvailable'
  | 'RouteAccepted';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface TodoApp {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: ObjectMeta;
  spec: TodoAppSpec;
  status?: TodoAppStatus;
}
