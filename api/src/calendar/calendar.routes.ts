import { calendarFeedUrl } from '@todo/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessTokenQuery } from '../auth/authenticate.js';
import { NotFoundError } from '../http/errors.js';
import { documented, problemResponses } from '../http/openapi.js';
import { originOf } from '../http/origin.js';
import type { TaskService } from '../tasks/task.service.js';
import { type CalendarFeeds, FEED_PATH_PREFIX } from './calendar-feed.js';
import { renderCalendar } from './ics.js';

const icsResponse = documented(z.string(), { description: 'An iCalendar feed', mediaType: 'text/calendar' });
export const calendarRoutes: FastifyPluginAsyncZod<{ tasks: TaskService; feeds: CalendarFeeds }> = async (
  app,
  { tasks, feeds },
) => {
  const sendCalendar = async (reply: FastifyReply, userId: string) =>
    reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="tasks.ics"')
      .header('cache-control', 'no-store')
      .serializer((s: string) => s)
      .send(renderCalendar(await tasks.dated(userId), { calendarName: 'Tasks', now: new Date() }));
  // The URL is a credential: no cache keeps it.
  const sendFeedUrl = (request: FastifyRequest, reply: FastifyReply, secret: string) =>
    reply
      .header('cache-control', 'no-store')
      .send({ url: `${originOf(request)}${FEED_PATH_PREFIX}${secret}.ics` });

  app.get('/calendar.ics', {
    config: { tokenInQuery: true },
    schema: {
      tags: ['calendar'],
      summary: "The user's dated tasks as an iCalendar (RFC 5545) feed",
      description:
        'For calendar apps, subscribe to the URL of `GET /calendar/feed-url` instead: it needs no session ' +
        'token, does not expire and can be revoked. `access_token` is still accepted here.',
      querystring: z.strictObject({ access_token: accessTokenQuery.optional() }),
      response: { 200: icsResponse, ...problemResponses(400, 401) },
    },
    handler: async (request, reply) => sendCalendar(reply, request.userId),
  });

  app.get('/calendar/feed-url', {
    schema: {
      tags: ['calendar'],
      summary: "The user's secret, read-only calendar feed URL (created on first call)",
      operationId: 'getCalendarFeedUrl',
      response: {
        200: documented(calendarFeedUrl, { description: 'The current feed URL' }),
        ...problemResponses(401),
      },
    },
    handler: async (request, reply) => sendFeedUrl(request, reply, await feeds.current(request.userId)),
  });

  app.post('/calendar/feed-url/rotate', {
    schema: {
      tags: ['calendar'],
      summary: 'Replace the calendar feed URL; the previous one stops working at once',
      operationId: 'rotateCalendarFeedUrl',
      response: {
        200: documented(calendarFeedUrl, { description: 'The new feed URL' }),
        ...problemResponses(401),
      },
    },
    handler: async (request, reply) => sendFeedUrl(request, reply, await feeds.rotate(request.userId)),
  });

  app.get('/calendar/feeds/:feed', {
    // The secret in the path is the credential: no bearer token, and it opens this feed and nothing else.
    config: { public: true },
    schema: {
      tags: ['calendar'],
      summary: "A user's calendar by its secret feed URL (no Authorization)",
      operationId: 'getCalendarFeed',
      security: [],
      params: z.object({ feed: z.string().max(100).meta({ description: '<secret>.ics' }) }),
      response: { 200: icsResponse, ...problemResponses(400, 404) },
    },
    handler: async (request, reply) => {
      const owner = await feeds.ownerOf(request.params.feed.replace(/\.ics$/, ''));
      if (!owner) throw new NotFoundError('No calendar feed has this URL; it may have been rotated.');
      return sendCalendar(reply, owner);
    },
  });
};
