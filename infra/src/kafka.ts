import { InfraUnavailableError, type RunningServer } from './process.js';

export interface KafkaServer extends RunningServer {
  readonly brokers: string[];
}

/** Starts a single-node Apache Kafka broker in KRaft mode on loopback. */
export async function startKafka(): Promise<KafkaServer> {
  throw new InfraUnavailableError('Kafka harness not built yet');
}
