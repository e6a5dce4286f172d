/**
 * The operator's topic admin on a real KRaft broker with a SASL/SCRAM listener (formatted with the user's
 * credentials) and an SSL listener (a certificate from a fresh CA), signing in with the TodoApp's `kafka.sasl`
 * Secret and verifying the brokers against its `kafka.tls.caSecretRef`, both read from the cluster.
 */

import { rootCertificates } from 'node:tls';
import { type KafkaServer, startKafka } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, objectPath } from '../src/kube/resources.js';
import { KafkaTopicAdmin } from '../src/reconcile/kafka-topic-admin.js';
import { topicNames } from '../src/reconcile/topics.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import { consumerGroups, kafkaLagSource } from '../src/watchdog/consumer-watchdog.js';
import { type Cluster, createSecret, useCluster } from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  operateNamespace,
  stopSuite,
} from './support/todoapp.js';

const NS = 'sasl';
const USER = { username: 'tenant-user', password: 'right-secret' };
let cluster: Cluster;
// This suite owns its broker (even when KAFKA_BROKERS is set): it needs one with SCRAM and SSL listeners.
let kafka: KafkaServer;
let operator: RunningOperator;

beforeAll(async () => {
  [cluster, kafka] = await Promise.all([useCluster(), startKafka({ scram: USER, tls: true })]);
  operator = await operateNamespace(cluster, NS);
});

afterAll(() => stopSuite(operator, cluster?.access, kafka));

/** Topic names under a prefix, listed through the SASL listener as the tenant's user. */
async function topicsOf(prefix: string): Promise<string[]> {
  const admin = new Kafka({
    brokers: kafka.saslBrokers!,
    sasl: { mechanism: 'scram-sha-256', ...USER },
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).sort();
  } finally {
    await admin.disconnect();
  }
}

/** A TodoApp on the SASL listener whose credentials are in Secret `<name>-kafka`. */
async function saslTodoApp(name: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512') {
  await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
  await createTodoApp(
    cluster.admin,
    aTodoApp(NS, name, kafka.saslBrokers!, {
      kafka: { sasl: { mechanism, secretRef: { name: `${name}-kafka` } } },
    }),
  );
}

const topicsReady = (name: string) =>
  eventually(
    `${name} TopicsReady decided`,
    async () => {
      const c = condition(await getTodoApp(cluster.admin, NS, name), 'TopicsReady');
      return c && c.reason !== 'Unknown' && c;
    },
    60_000,
  );

describe('a TodoApp with kafka.sasl', () => {
  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    'gets its topics on a SCRAM broker, signing in with %s and the Secret’s credentials',
    async (mechanism) => {
      const name = `scram${mechanism.slice(-3)}`;
      await createSecret(cluster.admin, NS, `${name}-kafka`, USER);
      await saslTodoApp(name, mechanism);
      expect(await topicsReady(name)).toMatchObject({ status: 'True', reason: 'TopicsCreated' });
      expect(await topicsOf(`${NS}-${name}`)).toEqual(topicNames(`${NS}-${name}`).sort());
    },
  );

  it('lets the consumer watchdog read the tenant’s groups with the same credentials', async () => {
    const app = await getTodoApp(cluster.admin, NS, 'scram256');
    if (!app) throw new Error('scram256 missing');
    const admin = new KafkaTopicAdmin();
    try {
      const groups = await kafkaLagSource(admin, cluster.admin)(app, consumerGroups(app));
      expect(groups.map((g) => [g.groupId, g.state, g.members, g.partitions.length])).toEqual([
        [`${NS}.scram256`, 'Dead', 0, 3],
        [`${NS}.scram256.reminders`, 'Dead', 0, 3],
        [`${NS}.scram256.task-updates`, 'Dead', 0, 3],
      ]);
    } finally {
      await admin.close();
    }
  });

  it('reports credentials the broker refuses as KafkaAuthenticationFailed, and recovers once the Secret is fixed', async () => {
    await createSecret(cluster.admin, NS, 'wrong-kafka', { ...USER, password: 'wrong-secret' });
    await saslTodoApp('wrong', 'SCRAM-SHA-512');
    const refused = await topicsReady('wrong');
    expect(refused).toMatchObject({ status: 'False', reason: 'KafkaAuthenticationFailed' });
    expect(refused.message).toMatch(/SASL SCRAM SHA512 authentication failed.*invalid credentials/);
    expect(refused.message).not.toContain('wrong-secret');
    expect(await topicsOf(`${NS}-wrong`)).toEqual([]);

    await cluster.admin.mergePatch(objectPath(KINDS.secret, NS, 'wrong-kafka'), {
      stringData: { password: USER.password },
    });
    // The Secret is not watched: the retry after the failure (at most 30 s later) picks the fix up.
    await eventually(
      'TopicsReady True after the fix',
      async () => condition(await getTodoApp(cluster.admin, NS, 'wrong'), 'TopicsReady')?.status === 'True',
      60_000,
      250,
    );
    expect(await topicsOf(`${NS}-wrong`)).toEqual(topicNames(`${NS}-wrong`).sort());
  });

  it('names the credentials Secret when it does not exist', async () => {
    await saslTodoApp('nosecret', 'SCRAM-SHA-256');
    const missing = await topicsReady('nosecret');
    expect(missing).toMatchObject({ status: 'False', reason: 'KafkaCredentialsMissing' });
    expect(missing.message).toContain(`Secret ${NS}/nosecret-kafka`);
    expect(await topicsOf(`${NS}-nosecret`)).toEqual([]);
  });
});

describe('a TodoApp with kafka.tls', () => {
  async function tlsTodoApp(name: string, ca: string) {
    await createSecret(cluster.admin, NS, `${name}-db`, { url: 'postgres://x@db:5432/x' });
    await createSecret(cluster.admin, NS, `${name}-ca`, { 'ca.crt': ca });
    await createTodoApp(
      cluster.admin,
      aTodoApp(NS, name, kafka.tlsBrokers!, {
        kafka: { tls: { enabled: true, caSecretRef: { name: `${name}-ca`, key: 'ca.crt' } } },
      }),
    );
  }

  it('gets its topics over TLS, verifying the brokers against the CA from kafka.tls.caSecretRef', async () => {
    await tlsTodoApp('tlsok', kafka.caCert!);
    expect(await topicsReady('tlsok')).toMatchObject({ status: 'True', reason: 'TopicsCreated' });
    expect(await topicsOf(`${NS}-tlsok`)).toEqual(topicNames(`${NS}-tlsok`).sort());
  });

  it('does not trust brokers whose certificate another CA signed', async () => {
    await tlsTodoApp('tlsother', rootCertificates[0]!);
    const refused = await topicsReady('tlsother');
    expect(refused).toMatchObject({ status: 'False', reason: 'KafkaUnavailable' });
    expect(refused.message).toMatch(/certificate/);
    expect(await topicsOf(`${NS}-tlsother`)).toEqual([]);
  });
});
