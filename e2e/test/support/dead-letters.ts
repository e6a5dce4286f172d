/** Reads a dead-letter topic from Kafka as it fills: every record since the topic's start, by CloudEvent id. */
import { Kafka, logLevel } from 'kafkajs';

export interface DeadLetterRecord {
  readonly key: string | undefined;
  readonly event: { id: string; type: string } & Record<string, unknown>;
}

export async function readDeadLetters(brokers: string[], topic: string) {
  const consumer = new Kafka({ brokers, clientId: 'e2e-dead-letters', logLevel: logLevel.NOTHING }).consumer({
    groupId: `e2e-dead-letters-${Date.now()}`,
  });
  const records = new Map<string, DeadLetterRecord>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? 'null') as DeadLetterRecord['event'];
      records.set(event.id, { key: message.key?.toString(), event });
    },
  });
  return { records, close: () => consumer.disconnect() };
}
