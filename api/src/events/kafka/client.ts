import { Kafka, type LogEntry, logLevel, type RetryOptions } from 'kafkajs';
import { type BaseLogger, pino } from 'pino';

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  /** The app's (or fastify's) pino logger; silent when omitted. */
  logger?: BaseLogger;
}

/**
 * kafkajs logs connection errors at ERROR on every retry; during a broker outage that is noise the
 * publisher's own rejection already reports, so its errors are kept but downgraded to warnings.
 */
function logCreator(logger: BaseLogger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const fields = { component: 'kafkajs', namespace, ...extra };
      if (level === logLevel.INFO) logger.info(fields, message);
      else logger.warn(fields, message);
    };
}

/**
 * A kafkajs client with short connection timeouts; `retry` bounds how long one call keeps retrying
 * (connections and metadata included) before it fails.
 */
export function kafkaClient(
  { brokers, clientId = 'todo-api', logger = pino({ level: 'silent' }) }: KafkaConnection,
  retry: RetryOptions,
): Kafka {
  return new Kafka({
    brokers,
    clientId,
    connectionTimeout: 3000,
    requestTimeout: 15_000,
    retry,
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger),
  });
}
