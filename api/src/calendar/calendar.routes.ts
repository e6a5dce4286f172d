import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documented, problemResponses } from '../http/openapi.js';
import type { TaskService } from '../tasks/task.service.js';
import { renderCalendar } from './ics.js';

export const calendarRoutes: FastifyPluginAsyncZod<{ tasks: TaskService }> = async (app, { tasks }) => {
  app.get('/calendar.ics', {
    config: { tokenInQuery: true },
    schema: {
      tags: ['calendar'],
      summary: "The user's dated tasks as an iCalendar (RFC 5545) feed",
      description:
        'Calendar apps cannot send headers: subscribe to `/api/v1/calendar.ics?access_token=<token>`.',
      querystring: z.strictObject({ access_token: z.string().max(4096).optional() }),
      response: {
        200: documented(z.string(), { description: 'An iCalendar feed', mediaType: 'text/calendar' }),
        ...problemResponses(401),
      },
    },
    handler: async (request, reply) => {
      const dated = await tasks.dated(request.userId);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="tasks.ics"')
        .serializer((s: string) => s)
        .send(renderCalendar(dated, { calendarName: 'Tasks', now: new Date() }));
    },
  });
};
