import { randomUUID } from 'node:crypto';
import { type CloudEvent, EVENT_SOURCE, TASK_EVENT_TYPES } from '@todo/contract';
import type { OutboundMessage } from '../../src/events/bus.js';

/** A task event in the contract's shape; `seq` lands in data so tests can check order per task. */
export function taskEvent(
  taskId: string,
  seq: number,
): CloudEvent<{ id: string; seq: number; userId: string }> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: TASK_EVENT_TYPES.updated,
    subject: taskId,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { id: taskId, seq, userId: 'user-1' },
  };
}

export function outbound(topic: string, taskId: string, seq: number): OutboundMessage {
  return { topic, key: taskId, event: taskEvent(taskId, seq) };
}

/** A fresh topic name per test, so tests sharing a broker never see each other's records. */
export function uniqueTopic(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
