import { existsSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Kafka, type KafkaConfig, type KafkaMessage, logLevel, type SASLOptions } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KafkaServer, parseBrokerList, startKafka } from '../src/index.js';

// This suite owns its broker (even when KAFKA_BROKERS is set) because it stops and restarts it.
let server: KafkaServer;
beforeAll(async () => {
  server = await startKafka();
});
afterAll(async () => {
  await server?.stop();
});

function client(brokers: string[], retries = 5) {
  return new Kafka({ brokers, clientId: 'infra-test', retry: { retries }, logLevel: logLevel.NOTHING });
}

/** The brokers as the cluster's metadata names them to a client with `config`, which gets a single try. */
async function brokersSeenBy(
  config: Omit<KafkaConfig, 'clientId' | 'retry' | 'logLevel'>,
): Promise<string[]> {
  const admin = new Kafka({
    clientId: 'infra-test',
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
    ...config,
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.map((b) => `${b.host}:${b.port}`);
  } finally {
    await admin.disconnect();
  }
}

async function readAll(brokers: string[], topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = client(brokers).consumer({ groupId: `reader-${topic}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: KafkaMessage[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message);
        if (seen.length === count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('startKafka', () => {
  it('runs a real KRaft broker on loopback that a kafkajs producer and consumer group can use', async () => {
    expect(server.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    expect(server.env.KAFKA_BROKERS).toBe(server.brokers[0]);
    const admin = client(server.brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'greetings', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = client(server.brokers).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'greetings', acks: -1, messages: [{ key: 'k1', value: 'hello' }] });
    await producer.disconnect();

    const [message] = await readAll(server.brokers, 'greetings', 1);
    expect(message?.key?.toString()).toBe('k1');
    expect(message?.value?.toString()).toBe('hello');
  });

  it('does not auto-create topics, so a missing topic is an error rather than a silent default', async () => {
    const producer = client(server.brokers).producer({ retry: { retries: 1 } });
    await producer.connect();
    await expect(producer.send({ topic: 'never-created', messages: [{ value: 'x' }] })).rejects.toThrow();
    await producer.disconnect();
  });

  it('keeps topics and records across stopBroker() and startBroker() on the same port', async () => {
    const admin = client(server.brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable' }], waitForLeaders: true });
    await admin.disconnect();
    const producer = client(server.brokers).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'durable', acks: -1, messages: [{ value: 'before-outage' }] });
    await producer.disconnect();
    const pidBefore = server.pids[0];

    await server.stopBroker();
    expect(server.pids).toEqual([]);
    await expect(client(server.brokers, 0).admin().connect()).rejects.toThrow();
    await server.startBroker();

    expect(server.pids[0]).not.toBe(pidBefore);
    const [message] = await readAll(server.brokers, 'durable', 1);
    expect(message?.value?.toString()).toBe('before-outage');
  });
});

describe('startKafka with scram', () => {
  it('adds a SASL listener where the formatted user signs in with SCRAM-SHA-256 and -512, and a wrong password is refused', async () => {
    const own = await startKafka({ scram: { username: 'tenant', password: 'right-secret' } });
    try {
      expect(own.saslBrokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
      expect(own.saslBrokers).not.toEqual(own.brokers);
      const signIn = (mechanism: 'scram-sha-256' | 'scram-sha-512', password: string) =>
        brokersSeenBy({
          brokers: own.saslBrokers!,
          sasl: { mechanism, username: 'tenant', password } as SASLOptions,
        });
      // Metadata through the SASL listener names that listener, so a client never leaves it.
      expect(await signIn('scram-sha-256', 'right-secret')).toEqual(own.saslBrokers);
      expect(await signIn('scram-sha-512', 'right-secret')).toEqual(own.saslBrokers);
      await expect(signIn('scram-sha-512', 'wrong-secret')).rejects.toThrow(
        /SASL SCRAM SHA512 authentication failed/,
      );
    } finally {
      await own.stop();
    }
  });

  it('has no SASL listener unless asked', () => {
    expect(server.saslBrokers).toBeUndefined();
  });
});

describe('startKafka with tls', () => {
  it('adds an SSL listener whose certificate a client verifies against caCert, and no other CA', async () => {
    const own = await startKafka({ tls: true });
    try {
      expect(own.tlsBrokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
      const describeWith = (ca: string) =>
        brokersSeenBy({
          brokers: own.tlsBrokers!,
          ssl: { ca: [ca], rejectUnauthorized: true },
          connectionTimeout: 3000,
        });
      expect(await describeWith(own.caCert!)).toEqual(own.tlsBrokers);
      // A public root CA did not sign the broker's certificate.
      await expect(describeWith(rootCertificates[0]!)).rejects.toThrow(/certificate/);
    } finally {
      await own.stop();
    }
  });
});

describe('stop', () => {
  it('kills the broker and removes its folder', async () => {
    const own = await startKafka();
    const [pid] = own.pids;
    await own.stop();
    expect(existsSync(own.dir)).toBe(false);
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});

describe('parseBrokerList', () => {
  it.each([
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['a:1, b:2', ['a:1', 'b:2']],
  ])('accepts %j', (value, expected) => {
    expect(parseBrokerList(value)).toEqual(expected);
  });

  it.each(['', 'localhost', 'a:1,,b:2', 'a:port'])('rejects %j naming KAFKA_BROKERS', (value) => {
    expect(() => parseBrokerList(value)).toThrow(/KAFKA_BROKERS/);
  });
});
