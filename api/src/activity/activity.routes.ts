import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { problemResponses } from '../http/openapi.js';
import { activityRepository } from './activity.repository.js';

const entry = z
  .object({
    id: z.uuid(),
    type: z
      .string()
      .meta({ description: 'task.created, task.updated, task.completed, task.reopened or task.deleted' }),
    taskId: z.uuid(),
    title: z.string(),
    occurredAt: z.string(),
    changes: z.object({ fields: z.array(z.string()).optional() }),
  })
  .meta({ id: 'ActivityEntry' });

export const activityRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get('/activity', {
    schema: {
      tags: ['activity'],
      summary: "The user's audit trail, newest first",
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(200).optional(),
      }),
      response: {
        200: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }),
        ...problemResponses(400, 401),
      },
    },
    handler: (request) =>
      activityRepository.page(db, request.userId, request.query.limit, request.query.cursor),
  });
};
