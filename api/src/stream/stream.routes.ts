import { decimalInteger, SSE_EVENT_NAMES } from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessTokenQuery } from '../auth/authenticate.js';
import { documented, problemResponses } from '../http/openapi.js';
import type { StreamHub } from './stream-hub.js';

/** One Server-Sent Event as OpenAPI 3.1 documents an event stream: the schema of each event's fields. */
const streamEvent = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9]+$/)
      .meta({ description: 'Its position: send it as Last-Event-ID to resume after it' }),
    event: z.enum(SSE_EVENT_NAMES),
    data: z.string().meta({
      contentMediaType: 'application/json',
      description: 'The task (task.* events) or the notification, as JSON',
    }),
  })
  .meta({ id: 'StreamEvent' });

/** Last-Event-ID: the `id` of the last event a client saw. */
const eventPosition = decimalInteger({ min: 0, max: Number.MAX_SAFE_INTEGER });

export const streamRoutes: FastifyPluginAsyncZod<{ hub: StreamHub }> = async (app, { hub }) => {
  app.get('/stream', {
    config: { tokenInQuery: true },
    schema: {
      tags: ['stream'],
      summary: 'Server-Sent Events: task.created, task.updated, task.completed, task.deleted, notification',
      description:
        'Send `Last-Event-ID` (or `lastEventId`) to resume after a disconnect. Browsers may pass the token as `access_token` because EventSource cannot set headers.',
      querystring: z.strictObject({
        access_token: accessTokenQuery.optional(),
        lastEventId: eventPosition.optional(),
      }),
      headers: z.object({ 'last-event-id': eventPosition.optional() }),
      response: {
        200: documented(streamEvent, { description: 'Server-Sent Events', mediaType: 'text/event-stream' }),
        ...problemResponses(400, 401),
      },
    },
    handler: async (request, reply) => {
      const resumeFrom = request.headers['last-event-id'] ?? request.query.lastEventId;
      const start = resumeFrom ?? (await hub.head(request.userId));
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      reply.raw.write(`retry: 2000\n: connected\n\n`);
      hub.add(request.userId, reply.raw, start);
    },
  });
};
