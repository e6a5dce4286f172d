import { describe, expect, it } from 'vitest';
import { allTopicNames, deadLetterTopicName, subscriptionPubsubName, topicName } from '../src/topics.js';

describe('topic names', () => {
  it('prefix every topic, the dead letters included, with the prefix and a dot', () => {
    expect(topicName('reminders', 'acme')).toBe('acme.reminders');
    expect(deadLetterTopicName('acme')).toBe('acme.dead-letters');
    expect(deadLetterTopicName()).toBe('dead-letters');
  });

  it("list a tenant's topics to create: the three of the contract and its dead letters", () => {
    expect(allTopicNames('acme')).toEqual([
      'acme.task-events',
      'acme.reminders',
      'acme.task-updates',
      'acme.dead-letters',
    ]);
  });

  it('give each subscribed topic a pubsub component of its own: task events the tenant pubsub, the others a suffixed one', () => {
    expect(
      (['taskEvents', 'reminders', 'taskUpdates'] as const).map((k) =>
        subscriptionPubsubName('acme-pubsub', k),
      ),
    ).toEqual(['acme-pubsub', 'acme-pubsub-reminders', 'acme-pubsub-task-updates']);
  });
});
