/**
 * What the operator renders is what the API runs with: for TodoApps at the edges of what the CRD admits, the
 * tenant's ConfigMap, Secret and Deployment, rendered by the operator's own functions, give an environment the
 * API's own config loader (from @todo/contract) accepts. Just past those edges, the loader refuses, which is
 * why the CRD refuses them too (operator/test/crd.test.ts proves that on a real API server).
 */
import { ConfigError, loadConfig } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { TODOAPP_NAME_MAX, TOPIC_PREFIX_MAX, todoAppName, todoAppSpecSchema } from '../../crd/todoapp.js';
import { defaultedTodoApp } from '../../testing/index.js';
import { apiEnvironment } from './api-environment.js';
import { desiredConfigMap, desiredDeployment, desiredSecret } from './workload.js';

type App = ReturnType<typeof defaultedTodoApp>;

const inputs = {
  jwtSecret: 'j'.repeat(43),
  appToken: 't'.repeat(43),
  databaseUrl: 'postgres://acme:pw@db.acme.svc:5432/acme',
};

function renderedEnvironment(app: App, databaseUrl = inputs.databaseUrl) {
  const config = desiredConfigMap(app);
  const secret = desiredSecret(app, { ...inputs, databaseUrl });
  return apiEnvironment(desiredDeployment(app, 'checksum'), config, secret);
}

const longestName = `a${'b'.repeat(TODOAPP_NAME_MAX - 1)}`;
const longestPrefix = `${'a._-'.repeat(TOPIC_PREFIX_MAX / 4)}`;

const cases: [string, App, string?][] = [
  ['the shortest name and prefix', defaultedTodoApp('a', { kafka: { topicPrefix: 'a' } })],
  ['the longest name', defaultedTodoApp(longestName)],
  [
    'the longest prefix, every character the CRD allows',
    defaultedTodoApp('acme', { kafka: { topicPrefix: longestPrefix } }),
  ],
  ['digits and hyphens in the name', defaultedTodoApp('acme-2-prod')],
  [
    'Dapr pubsub, reminders in the database',
    defaultedTodoApp('acme', { reminders: { backend: 'database' } }),
  ],
  ['Dapr pubsub, reminders on Dapr Jobs', defaultedTodoApp('acme', { reminders: { backend: 'dapr-jobs' } })],
  [
    'Kafka directly (no Dapr), several brokers',
    defaultedTodoApp('acme', {
      dapr: { enabled: false },
      kafka: { brokers: ['k1:9092', 'k2.kafka.svc:19092'] },
    }),
  ],
  [
    'a managed database on the longest namespace',
    defaultedTodoApp('acme', { database: { managed: {} } }, 'n'.repeat(63)),
    `postgresql://todo_${'n'.repeat(58)}:${'p'.repeat(32)}@pg.db.svc:5432/todo_${'n'.repeat(58)}`,
  ],
];

describe('the environment rendered for the API', () => {
  it.each(cases)('loads with the API config loader: %s', (_, app, databaseUrl) => {
    // Each case is one the CRD admits.
    expect(todoAppName.safeParse(app.metadata.name).success).toBe(true);
    expect(todoAppSpecSchema.safeParse(app.spec).success).toBe(true);

    const config = loadConfig(renderedEnvironment(app, databaseUrl));
    expect(config).toMatchObject({
      PORT: 8080,
      EVENT_BUS: app.spec.dapr.enabled ? 'dapr' : 'kafka',
      PUBSUB_NAME: `${app.metadata.name}-pubsub`,
      TOPIC_PREFIX: app.spec.kafka.topicPrefix,
      REMINDER_BACKEND: app.spec.reminders.backend,
      TRUST_PROXY: 'uniquelocal',
      JWT_SECRET: inputs.jwtSecret,
      APP_API_TOKEN: inputs.appToken,
      DATABASE_URL: databaseUrl ?? inputs.databaseUrl,
    });
    if (!app.spec.dapr.enabled) expect(config.KAFKA_BROKERS).toBe(app.spec.kafka.brokers.join(','));
  });

  it.each([
    ['a dot in the name', defaultedTodoApp('acme.prod'), 'PUBSUB_NAME'],
    [
      'a prefix one past the longest',
      defaultedTodoApp('acme', { kafka: { topicPrefix: `${longestPrefix}a` } }),
      'TOPIC_PREFIX',
    ],
  ])('is refused by the API, and so by the CRD, with %s', (_, app, variable) => {
    expect(() => loadConfig(renderedEnvironment(app))).toThrow(ConfigError);
    expect(() => loadConfig(renderedEnvironment(app))).toThrow(variable);
    const admitted =
      todoAppName.safeParse(app.metadata.name).success && todoAppSpecSchema.safeParse(app.spec).success;
    expect(admitted).toBe(false);
  });
});
