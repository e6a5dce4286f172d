import type { CloudEvent } from '@todo/contract';
import type { OutboundMessage } from '../bus.js';

/** Structured-mode CloudEvents content type (the whole envelope is the record value). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * A bus message as a Kafka record: keyed by task id so each task's events share a partition (and an order),
 * the CloudEvent JSON as value. `ce_type`/`ce_id` repeat two attributes as headers so tools and filters can
 * route without parsing the body.
 */
export function toKafkaRecord(message: OutboundMessage): KafkaRecord {
  return {
    key: message.key,
    value: JSON.stringify(message.event),
    headers: { 'content-type': CLOUDEVENTS_JSON, ce_type: message.event.type, ce_id: message.event.id },
  };
}

export type ParsedRecord = { ok: true; event: CloudEvent } | { ok: false; reason: string };

const REQUIRED_STRINGS = ['id', 'source', 'type'] as const;

/** Reads a record value as a CloudEvents 1.0 JSON envelope; anything else is reported as malformed. */
export function parseCloudEvent(value: Buffer | string | null): ParsedRecord {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty record value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    return { ok: false, reason: 'record value is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'record value is not a JSON object' };
  }
  const envelope = parsed as Record<string, unknown>;
  if (envelope.specversion !== '1.0') return { ok: false, reason: 'specversion is not "1.0"' };
  const missing = REQUIRED_STRINGS.find(
    (name) => typeof envelope[name] !== 'string' || envelope[name] === '',
  );
  if (missing) return { ok: false, reason: `attribute "${missing}" is missing or not a string` };
  return { ok: true, event: envelope as unknown as CloudEvent };
}

/** Exponential backoff for redelivering an event that asked for a retry: initial × 2^(attempt-1), capped. */
export function retryDelayMs(attempt: number, backoff: { initialMs: number; maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
}
