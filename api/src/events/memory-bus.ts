import type { Logger } from 'pino';
import type { EventHandler, EventPublisher, EventSubscriber, OutboundMessage } from './bus.js';

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
    for (const message of messages) {
      for (const handle of this.handlers.get(message.topic) ?? []) {
        const result = await handle(message.event);
        if (result === 'retry')
          throw new Error(`a consumer of ${message.topic} asked to retry event ${message.event.id}`);
        if (result === 'drop')
          this.log.warn({ eventId: message.event.id, topic: message.topic }, 'event dropped by consumer');
      }
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
