import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaJars, findJava, KAFKA_VERSION } from './kafka-jars.js';
import { type BrokerCertificate, createBrokerCertificate } from './kafka-tls.js';
import { freePort, type RunningServer, retryOnPortClash, run, tempDir, terminate } from './process.js';

export { KAFKA_VERSION } from './kafka-jars.js';

export interface KafkaServer extends RunningServer {
  readonly brokers: string[];
  /** With `scram`: the SASL_PLAINTEXT listener, which takes the SCRAM user and nothing else. */
  readonly saslBrokers: string[] | undefined;
  /** With `tls`: the SSL listener, and the PEM CA its certificate is signed by. */
  readonly tlsBrokers: string[] | undefined;
  readonly caCert: string | undefined;
  /** Stops the broker process but keeps its ports and data, as an outage would. */
  stopBroker(): Promise<void>;
  /** Starts the stopped broker again on the same ports and data, resolving once clients can connect. */
  startBroker(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

interface Listeners {
  port: number;
  controllerPort: number;
  saslPort?: number;
  /** The SSL listener's port and its PEM keystore. */
  tls?: { port: number; keystore: string };
}

/**
 * Broker and controller in one process on loopback, tuned for tests: single replicas everywhere and no
 * initial rebalance delay. Topics are never auto-created, because in production the operator creates them
 * (and the API's ensureTopics): a test must fail, not silently create a one-partition topic, when one is missing.
 */
function serverProperties({ port, controllerPort, saslPort, tls }: Listeners, dataDir: string): string {
  // The broker keeps its PLAINTEXT listener for itself and the start-up probe; clients of the SASL or SSL
  // listener are told only that listener's address in metadata, so they never fall back to PLAINTEXT.
  const secured = [
    ...(saslPort === undefined ? [] : [`SASL_PLAINTEXT://127.0.0.1:${saslPort}`]),
    ...(tls ? [`SSL://127.0.0.1:${tls.port}`] : []),
  ]
    .map((l) => `,${l}`)
    .join('');
  const ssl = tls ? ['ssl.keystore.type=PEM', `ssl.keystore.location=${tls.keystore}`] : [];
  const scram =
    saslPort === undefined
      ? []
      : [
          `sasl.enabled.mechanisms=${SCRAM_MECHANISMS.join(',')}`,
          ...SCRAM_MECHANISMS.map(
            (m) =>
              `listener.name.sasl_plaintext.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
          ),
        ];
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port}${secured},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${secured}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT',
    ...scram,
    ...ssl,
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=4',
  ].join('\n');
}

const LOG4J_CONFIG = [
  'rootLogger.level=WARN',
  'rootLogger.appenderRef.out.ref=OUT',
  'appender.out.type=Console',
  'appender.out.name=OUT',
  'appender.out.layout.type=PatternLayout',
  'appender.out.layout.pattern=[%d] %p %m (%c)%n',
].join('\n');

/** A KRaft cluster id: 16 random bytes in URL-safe base64, not starting with '-' (Kafka's CLI rule). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function canConnect(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    brokers,
    clientId: 'infra-probe',
    connectionTimeout: 1000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export interface KafkaOptions {
  version?: string;
  /**
   * Adds a SASL_PLAINTEXT listener (`saslBrokers`) where this user signs in with SCRAM-SHA-256 or -512; KRaft
   * takes the credentials when the storage is formatted (KIP-900, `kafka-storage format --add-scram`).
   */
  scram?: { username: string; password: string };
  /** Adds an SSL listener (`tlsBrokers`) with a certificate for 127.0.0.1 signed by a fresh CA (`caCert`). */
  tls?: boolean;
}

/**
 * Starts a single-node Apache Kafka broker in KRaft mode on 127.0.0.1 (jars from Maven Central, cached
 * under cacheRoot(); the machine's Java). The JVM runs detached so `npm run infra -- up kafka` can exit.
 */
export function startKafka(opts: KafkaOptions = {}): Promise<KafkaServer> {
  return retryOnPortClash(() => startKafkaOnce(opts));
}

/** `--add-scram` arguments for the storage tool, one per mechanism (KIP-900's `[name=…,password=…]`). */
function addScram(scram: KafkaOptions['scram']): string[] {
  if (!scram) return [];
  // The tool splits its argument on `,`, `=` and `]`: plain words only, which is all a test needs.
  for (const value of [scram.username, scram.password])
    if (!/^[\w.-]+$/.test(value))
      throw new Error(`SCRAM user and password must match [\\w.-]+, got "${value}"`);
  return SCRAM_MECHANISMS.flatMap((m) => [
    '--add-scram',
    `${m}=[name=${scram.username},password=${scram.password}]`,
  ]);
}

async function startKafkaOnce(opts: KafkaOptions): Promise<KafkaServer> {
  const java = findJava();
  const libs = await ensureKafkaJars(opts.version ?? KAFKA_VERSION);
  const dir = await tempDir('kafka');
  const [port, controllerPort] = [await freePort(), await freePort()];
  const saslPort = opts.scram ? await freePort() : undefined;
  const brokers = [`127.0.0.1:${port}`];
  const config = join(dir, 'server.properties');
  const logFile = join(dir, 'kafka.log');
  let certificate: BrokerCertificate | undefined;
  let tls: Listeners['tls'];
  try {
    if (opts.tls) {
      certificate = await createBrokerCertificate(dir);
      tls = { port: await freePort(), keystore: certificate.keystore };
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const listeners = { port, controllerPort, saslPort, tls };
  await writeFile(config, `${serverProperties(listeners, join(dir, 'data'))}\n`);
  await writeFile(join(dir, 'log4j2.properties'), `${LOG4J_CONFIG}\n`);
  const jvm = ['-cp', join(libs, '*'), `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`];
  try {
    await run(
      java,
      [
        '-Xmx256m',
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId(),
        '-c',
        config,
        ...addScram(opts.scram),
      ],
      {
        timeoutMs: 60_000,
      },
    );
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let child: ChildProcess | undefined;
  const logTail = async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-3000);

  async function startBroker(): Promise<void> {
    if (child) return;
    const out = openSync(logFile, 'a');
    const proc = spawn(
      java,
      [
        '-Xms128m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...jvm,
        'kafka.Kafka',
        config,
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    proc.unref();
    child = proc;
    let exited = false;
    proc.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await canConnect(brokers))) {
      if (exited || Date.now() > deadline) {
        await stopBroker();
        throw new Error(
          `Kafka did not start${exited ? ' (the JVM exited)' : ''}; ${logFile}:\n${await logTail()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function stopBroker(): Promise<void> {
    const proc = child;
    child = undefined;
    if (proc) await terminate(proc, 20_000);
  }

  try {
    await startBroker();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    name: 'kafka',
    brokers,
    saslBrokers: saslPort === undefined ? undefined : [`127.0.0.1:${saslPort}`],
    tlsBrokers: tls ? [`127.0.0.1:${tls.port}`] : undefined,
    caCert: certificate?.caCert,
    env: { KAFKA_BROKERS: brokers.join(',') },
    get pids() {
      return child?.pid ? [child.pid] : [];
    },
    dir,
    stopBroker,
    startBroker,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopBroker();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Access to a broker for a test suite; `stop()` removes it only when this suite started it. */
export interface KafkaAccess {
  readonly brokers: string[];
  /** Present when the broker was started here (so outage tests can stop and restart it). */
  readonly server: KafkaServer | undefined;
  stop(): Promise<void>;
}

/** Parses KAFKA_BROKERS (`host:port,host:port`), failing with a message naming the variable. */
export function parseBrokerList(value: string): string[] {
  const brokers = value.split(',').map((b) => b.trim());
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new Error(`KAFKA_BROKERS must be a comma list of host:port, got "${bad}"`);
  return brokers;
}

/** The broker named by KAFKA_BROKERS, else a freshly started one. */
export async function useKafka(): Promise<KafkaAccess> {
  const given = process.env.KAFKA_BROKERS;
  if (given) return { brokers: parseBrokerList(given), server: undefined, stop: async () => undefined };
  const server = await startKafka();
  return { brokers: server.brokers, server, stop: () => server.stop() };
}
