import { z } from 'zod';
import type { HandleResult } from '../bus.js';

/**
 * One record of a bulk delivery as daprd v1.18 posts it to the app (`pkg/runtime/pubsub`
 * `BulkSubscribeMessageItem`): `event` is the record's CloudEvent, parsed.
 */
const bulkEntrySchema = z.object({
  entryId: z.string().min(1),
  event: z.unknown(),
  contentType: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/**
 * The body of a bulk delivery (`application/json`): an envelope (`id`, `type` `com.dapr.event.sent.bulk`,
 * `topic`, `pubsubname`, `metadata`) around the records of one partition, in offset order.
 */
export const bulkDeliverySchema = z.object({
  entries: z
    .array(bulkEntrySchema)
    .min(1)
    .refine((entries) => new Set(entries.map((e) => e.entryId)).size === entries.length, {
      message: 'entryId must be unique within a bulk delivery',
    }),
});

export type BulkDelivery = z.infer<typeof bulkDeliverySchema>;
export type BulkEntry = BulkDelivery['entries'][number];

export type DaprDeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

/** What a bulk route answers (HTTP 200): one status per entry (`contribpubsub.AppBulkResponse`). */
export interface DaprBulkResponse {
  statuses: { entryId: string; status: DaprDeliveryStatus }[];
}

export const DAPR_STATUS: Record<HandleResult, DaprDeliveryStatus> = {
  success: 'SUCCESS',
  retry: 'RETRY',
  drop: 'DROP',
};

/**
 * Answers each entry with its handler's decision, except where daprd v1.18.3 would act on DROP wrongly. On a
 * DROP it dead-letters the entry at the *original* position of the entry id in the list it sent this time
 * (`postman/http` `DeliverBulk`); on a Resiliency retry that list holds only the entries still failing, so
 * the position names another event (or none: an index out of range). The Kafka component numbers entries
 * `0, 1, …` in offset order, so DROP is safe only where an entry sits at the position its id names (always on
 * a first delivery). Elsewhere the API answers SUCCESS: what it sets aside is in `consumer_dead` already, and
 * only the dead-letter topic's copy is left out.
 */
export function bulkStatuses(
  entries: readonly BulkEntry[],
  results: readonly HandleResult[],
): DaprBulkResponse {
  return {
    statuses: entries.map((entry, i) => {
      const result = results[i]!;
      const dropSafe = entry.entryId === String(i);
      return {
        entryId: entry.entryId,
        status: result === 'drop' && !dropSafe ? 'SUCCESS' : DAPR_STATUS[result],
      };
    }),
  };
}
