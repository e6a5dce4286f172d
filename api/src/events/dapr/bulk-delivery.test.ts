import { describe, expect, it } from 'vitest';
import { bulkDeliverySchema, bulkStatuses } from './bulk-delivery.js';

const entry = (entryId: string) => ({ entryId, event: {}, contentType: 'application/cloudevents+json' });

describe('bulkDeliverySchema', () => {
  it('reads the body daprd posts: an envelope around entries with their ids, events and metadata', () => {
    const body = {
      id: 'b1',
      type: 'com.dapr.event.sent.bulk',
      topic: 'task-events',
      pubsubname: 'kafka-pubsub',
      metadata: null,
      entries: [
        { ...entry('0'), metadata: { partitionKey: 'k' } },
        { ...entry('1'), metadata: null },
      ],
    };
    expect(bulkDeliverySchema.parse(body).entries.map((e) => e.entryId)).toEqual(['0', '1']);
  });

  it.each([
    ['no entries', { entries: [] }],
    ['entries that are not a list', { entries: {} }],
    ['an entry without an id', { entries: [{ event: {} }] }],
    ['an empty entry id', { entries: [entry('')] }],
    ['the same entry id twice', { entries: [entry('0'), entry('0')] }],
    ['a single CloudEvent instead of a bulk', { specversion: '1.0', id: 'x', type: 't', data: {} }],
  ])('refuses %s', (_, body) => {
    expect(bulkDeliverySchema.safeParse(body).success).toBe(false);
  });
});

describe('bulkStatuses', () => {
  it("answers each entry by its id with its handler's decision", () => {
    expect(bulkStatuses([entry('0'), entry('1'), entry('2')], ['success', 'drop', 'retry'])).toEqual({
      statuses: [
        { entryId: '0', status: 'SUCCESS' },
        { entryId: '1', status: 'DROP' },
        { entryId: '2', status: 'RETRY' },
      ],
    });
  });

  it('answers SUCCESS instead of DROP where daprd would dead-letter another entry (a retry of part of a bulk)', () => {
    // A Resiliency retry of entries 2 and 3 of a bulk: daprd would dead-letter its list's element 3 for "3".
    expect(bulkStatuses([entry('2'), entry('3')], ['retry', 'drop']).statuses).toEqual([
      { entryId: '2', status: 'RETRY' },
      { entryId: '3', status: 'SUCCESS' },
    ]);
  });
});
