import { activityPage, activityQuery } from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import { problemResponses } from '../http/openapi.js';
import { activityRepository } from './activity.repository.js';

export const activityRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get('/activity', {
    schema: {
      tags: ['activity'],
      summary: "The user's audit trail, newest first",
      querystring: activityQuery,
      response: { 200: activityPage, ...problemResponses(400, 401, 422) },
    },
    handler: (request) =>
      activityRepository.page(db, request.userId, request.query.limit, request.query.cursor),
  });
};
