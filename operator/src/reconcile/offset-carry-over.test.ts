import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/client.js';
import { defaultedTodoApp } from '../testing/index.js';
import { desiredDaprComponents } from './desired/dapr.js';
import { carriedOverMessage, consumerGroupMoves, topicsOfComponent } from './offset-carry-over.js';
import type { GroupMove } from './topics.js';

const app = defaultedTodoApp('acme', { kafka: { topicPrefix: 'tenants-acme' } });

/** The Components as an operator rendering every pubsub component in `group` left them (before 015963d). */
const renderedIn = (group: string) =>
  desiredDaprComponents(app).map((c) => ({
    ...c,
    spec: {
      ...c.spec,
      metadata: (c.spec.metadata as { name: string }[]).map((m) =>
        m.name === 'consumerGroup' ? { ...m, value: group } : m,
      ),
    },
  }));

const inCluster = (objects: KubeObject[]) => (name: string) => objects.find((o) => o.metadata.name === name);

describe('topicsOfComponent', () => {
  it.each([
    ['acme-pubsub', ['tenants-acme.task-events']],
    ['acme-pubsub-reminders', ['tenants-acme.reminders']],
    ['acme-pubsub-task-updates', ['tenants-acme.task-updates']],
    ['acme-statestore', []],
  ])('%s subscribes to %j', (component, topics) => {
    expect(topicsOfComponent(app, component)).toEqual(topics);
  });
});

describe('consumerGroupMoves', () => {
  it('moves the components an operator left in the tenant’s one shared group to their own groups', () => {
    expect(consumerGroupMoves(app, inCluster(renderedIn('tenants.acme')))).toEqual([
      {
        component: 'acme-pubsub-reminders',
        from: 'tenants.acme',
        to: 'tenants.acme.reminders',
        topics: ['tenants-acme.reminders'],
      },
      {
        component: 'acme-pubsub-task-updates',
        from: 'tenants.acme',
        to: 'tenants.acme.task-updates',
        topics: ['tenants-acme.task-updates'],
      },
    ]);
  });

  it.each([
    ['a new tenant (no Components yet)', []],
    ['Components already in their groups', desiredDaprComponents(app)],
    [
      'Components naming no consumer group',
      renderedIn('').map((c) => ({ ...c, spec: { ...c.spec, metadata: [] } })),
    ],
  ])('moves nothing for %s', (_, objects) => {
    expect(consumerGroupMoves(app, inCluster(objects as KubeObject[]))).toEqual([]);
  });

  it('moves nothing without Dapr (its Components are pruned, no sidecar consumes)', () => {
    const plain = defaultedTodoApp('acme', { dapr: { enabled: false } });
    expect(consumerGroupMoves(plain, inCluster(renderedIn('tenants.acme')))).toEqual([]);
  });
});

describe('carriedOverMessage', () => {
  const move = (to: string): GroupMove => ({
    component: `acme-pubsub-${to}`,
    from: 'tenants.acme',
    to: `tenants.acme.${to}`,
    topics: [`tenants-acme.${to}`],
  });

  it('names each group whose offsets were carried over, with the partitions and the group they came from', () => {
    expect(
      carriedOverMessage([
        { move: move('reminders'), outcome: 'carried', partitions: 3 },
        { move: move('task-updates'), outcome: 'committed', partitions: 0 },
      ]),
    ).toBe(
      'Committed offsets carried over to the new consumer groups: tenants.acme.reminders (3 partitions of tenants-acme.reminders, from tenants.acme)',
    );
  });

  it('is undefined when nothing was carried over (no Event)', () => {
    expect(carriedOverMessage([])).toBeUndefined();
    expect(
      carriedOverMessage([{ move: move('reminders'), outcome: 'nothing', partitions: 0 }]),
    ).toBeUndefined();
  });
});
