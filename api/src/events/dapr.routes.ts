import { timingSafeEqual } from 'node:crypto';
import { type Config, isCloudEvent, type TopicKey, topicName } from '@todo/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fireReminderJob } from '../reminders/dapr-jobs.js';
import { type EventHandler, type HandleResult, handleAll } from './bus.js';
import { type BulkEntry, bulkDeliverySchema, bulkStatuses } from './dapr/bulk-delivery.js';
import { DAPR_ROUTES, daprSubscriptions } from './dapr/subscriptions.js';
import type { EventSystem } from './event-system.js';
import { failureKind } from './failure-kind.js';
import { UnprocessableEventError } from './idempotent-consumer.js';

/**
 * Only the sidecar, which sends APP_API_TOKEN as `dapr-api-token`, may call these routes. Without a token
 * the API is not behind Dapr (the config requires one when it is) and nobody may: an open route would let
 * anyone who reaches the host inject events.
 */
function fromSidecar(config: Config, request: FastifyRequest): boolean {
  const sent = request.headers['dapr-api-token'];
  if (!config.APP_API_TOKEN || typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(config.APP_API_TOKEN)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The largest bulk delivery read: 250 records (`DAPR_BULK_SUBSCRIBE`) of task snapshots, with room to spare. */
const BULK_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Dapr's side of the event bus: the programmatic subscription, one bulk delivery route per topic answering
 * SUCCESS / RETRY / DROP per entry, and the Jobs callback. Registered in every mode; only a sidecar calls them.
 */
export const daprRoutes: FastifyPluginAsyncZod<{ events: EventSystem; config: Config }> = async (
  app,
  { events, config },
) => {
  // Checked before the body is read, so a caller without the token learns nothing about the body's shape.
  const sidecarOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!fromSidecar(config, request)) return reply.code(403).send();
  };

  app.get('/dapr/subscribe', { config: { public: true }, schema: { hide: true } }, async () =>
    daprSubscriptions(config.TOPIC_PREFIX, config.PUBSUB_NAME),
  );

  for (const key of Object.keys(DAPR_ROUTES) as TopicKey[]) {
    const route = DAPR_ROUTES[key];
    const handler = events.handlers.get(topicName(key, config.TOPIC_PREFIX))!;
    app.post(
      route,
      {
        config: { public: true },
        schema: { hide: true, body: bulkDeliverySchema },
        bodyLimit: BULK_BODY_LIMIT,
        onRequest: sidecarOnly,
      },
      async (request) => {
        const { entries } = request.body;
        const results = await handleEntries(handler, entries);
        entries.forEach((entry, i) => {
          if (results[i] === 'drop')
            request.log.warn({ route, entryId: entry.entryId }, 'dropping an event Dapr delivered');
        });
        return bulkStatuses(entries, results);
      },
    );
  }

  app.post(
    '/job/:name',
    {
      config: { public: true },
      schema: { hide: true, params: z.object({ name: z.string() }) },
      onRequest: sidecarOnly,
    },
    async (request, reply) => {
      try {
        await events.db.transaction((tx) =>
          fireReminderJob(tx, request.params.name, config.TOPIC_PREFIX, events.now),
        );
        return reply.code(200).send();
      } catch (err) {
        // A job that is not one of our reminders, or names ids PostgreSQL refuses, will never fire: 200 so
        // Dapr stops; a transient or unknown failure fails so Dapr retries under its job failure policy.
        if (failureKind(err, (e) => e instanceof UnprocessableEventError) === 'permanent') {
          request.log.warn({ job: request.params.name, err }, 'ignoring a job that is not a reminder');
          return reply.code(200).send();
        }
        throw err;
      }
    },
  );
};

/**
 * Hands a bulk's CloudEvents to the topic's handler as one batch, in offset order (one transaction per
 * consumer when they take batches); an entry that is not one of our CloudEvents is answered DROP.
 */
async function handleEntries(handler: EventHandler, entries: readonly BulkEntry[]): Promise<HandleResult[]> {
  const events = entries.flatMap((entry) => (isCloudEvent(entry.event) ? [entry.event] : []));
  const handled = events.length ? await handleAll(handler, events) : [];
  let next = 0;
  return entries.map((entry) => (isCloudEvent(entry.event) ? handled[next++]! : 'drop'));
}
