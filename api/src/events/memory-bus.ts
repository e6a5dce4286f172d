import type { Logger } from 'pino';
import {
  type EventHandler,
  type EventPublisher,
  type EventSubscriber,
  groupBy,
  handleAll,
  type OutboundMessage,
} from './bus.js';

/**
 * The in-process bus of the embedded mode. `publish` hands each message to the topic's handlers in
 * order and resolves only when all of them have taken it, so the outbox row is marked delivered only
 * after its effects are committed; a 'retry' fails the publish and the relay redelivers later.
 */
export class MemoryBus implements EventPublisher, EventSubscriber {
  private readonly handlers = new Map<string, EventHandler[]>();

  constructor(private readonly log: Logger) {}

  async subscribe(topic: string, handler: EventHandler): Promise<void> {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  async start(): Promise<void> {}

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    // Per topic, in order: each topic's consumers take their share of the batch at once.
    for (const [topic, batch] of groupBy(messages, (m) => m.topic)) {
      const events = batch.map((m) => m.event);
      for (const handler of this.handlers.get(topic) ?? []) {
        const results = await handleAll(handler, events);
        results.forEach((result, i) => {
          if (result === 'drop')
            this.log.warn({ eventId: events[i]!.id, topic }, 'event dropped by consumer');
        });
        const retry = results.indexOf('retry');
        if (retry >= 0) throw new Error(`a consumer of ${topic} asked to retry event ${events[retry]!.id}`);
      }
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
