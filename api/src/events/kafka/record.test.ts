import { describe, expect, it } from 'vitest';
import { parseCloudEvent, retryDelayMs, toKafkaRecord } from './record.js';

const event = {
  specversion: '1.0',
  id: 'e1',
  source: '/todo-api',
  type: 'todo.task.created',
  subject: 't1',
  time: '2026-01-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  data: { id: 't1', userId: 'u1' },
} as const;

describe('toKafkaRecord', () => {
  it('keys the record by task id and carries the CloudEvent as JSON with its type and id as headers', () => {
    expect(toKafkaRecord({ topic: 'task-events', key: 't1', event })).toEqual({
      key: 't1',
      value: JSON.stringify(event),
      headers: { 'content-type': 'application/cloudevents+json', ce_type: 'todo.task.created', ce_id: 'e1' },
    });
  });
});

describe('parseCloudEvent', () => {
  it('accepts a CloudEvents 1.0 JSON envelope from a buffer or a string', () => {
    expect(parseCloudEvent(Buffer.from(JSON.stringify(event)))).toEqual({ ok: true, event });
    expect(parseCloudEvent(JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it.each([
    ['no value', null, 'empty record value'],
    ['an empty value', '', 'empty record value'],
    ['text', 'hello', 'record value is not JSON'],
    ['a JSON array', '[1]', 'record value is not a JSON object'],
    ['JSON null', 'null', 'record value is not a JSON object'],
    ['another spec version', JSON.stringify({ ...event, specversion: '0.3' }), 'specversion is not "1.0"'],
    ['a numeric id', JSON.stringify({ ...event, id: 7 }), 'attribute "id" is missing or not a string'],
    ['no type', JSON.stringify({ ...event, type: undefined }), 'attribute "type" is missing or not a string'],
    [
      'an empty source',
      JSON.stringify({ ...event, source: '' }),
      'attribute "source" is missing or not a string',
    ],
  ])('rejects %s as malformed', (_label, value, reason) => {
    expect(parseCloudEvent(value)).toEqual({ ok: false, reason });
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 100],
    [2, 200],
    [4, 800],
    [10, 5000],
  ])('attempt %i waits %i ms (100 ms doubling, capped at 5 s)', (attempt, delay) => {
    expect(retryDelayMs(attempt, { initialMs: 100, maxMs: 5000 })).toBe(delay);
  });
});
