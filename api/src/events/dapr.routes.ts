import { timingSafeEqual } from 'node:crypto';
import type { Config } from '@todo/contract';
import { type TopicKey, topicName } from '@todo/contract';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { fireReminderJob } from '../reminders/dapr-jobs.js';
import type { HandleResult } from './bus.js';
import { DAPR_ROUTES, daprResponseFor, daprSubscriptions } from './dapr/subscriptions.js';
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

/**
 * Dapr's side of the event bus: the programmatic subscription, one delivery route per topic answering
 * SUCCESS / RETRY / DROP, and the Jobs callback. Registered in every mode; only a sidecar calls them.
 */
export const daprRoutes: FastifyPluginAsync<{ events: EventSystem; config: Config }> = async (
  app: FastifyInstance,
  { events, config },
) => {
  // Dapr posts CloudEvents as application/cloudevents+json (or +json batches); read them as JSON.
  app.addContentTypeParser(
    ['application/cloudevents+json', 'application/cloudevents-batch+json'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, undefined);
      }
    },
  );

  app.get('/dapr/subscribe', { config: { public: true }, schema: { hide: true } }, async () =>
    daprSubscriptions(config.TOPIC_PREFIX, config.PUBSUB_NAME),
  );

  for (const key of Object.keys(DAPR_ROUTES) as TopicKey[]) {
    const handler = events.handlers.get(topicName(key, config.TOPIC_PREFIX))!;
    app.post(
      DAPR_ROUTES[key],
      { config: { public: true }, schema: { hide: true } },
      async (request, reply) => {
        if (!fromSidecar(config, request)) return reply.code(403).send(daprResponseFor('drop').body);
        const result: HandleResult =
          request.body === undefined ? 'drop' : await handler(request.body as never);
        if (result === 'drop')
          request.log.warn({ route: DAPR_ROUTES[key] }, 'dropping an event Dapr delivered');
        const response = daprResponseFor(result);
        return reply.code(response.statusCode).send(response.body);
      },
    );
  }

  app.post<{ Params: { name: string } }>(
    '/job/:name',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      if (!fromSidecar(config, request)) return reply.code(403).send();
      try {
        await events.db.transaction((tx) => fireReminderJob(tx, request.params.name, config.TOPIC_PREFIX));
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
