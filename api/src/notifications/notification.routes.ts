import { listNotificationsQuery, notificationIdParams, notificationList } from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { NotFoundError } from '../http/errors.js';
import { problemResponses } from '../http/openapi.js';
import { notificationRepository } from './notification.repository.js';

export const notificationRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get('/notifications', {
    schema: {
      tags: ['notifications'],
      summary: 'Recent in-app notifications (newest first) and the unread count',
      querystring: listNotificationsQuery,
      response: {
        200: notificationList,
        ...problemResponses(400, 401),
      },
    },
    handler: async (request) => notificationRepository.list(db, request.userId, request.query.limit),
  });

  app.post('/notifications/:id/read', {
    schema: {
      tags: ['notifications'],
      summary: 'Mark a notification read',
      params: notificationIdParams,
      response: { 204: z.null(), ...problemResponses(400, 401, 404) },
    },
    handler: async (request, reply) => {
      if (!(await notificationRepository.markRead(db, request.userId, request.params.id))) {
        throw new NotFoundError(`Notification ${request.params.id} does not exist.`);
      }
      return reply.code(204).send(null);
    },
  });

  app.post('/notifications/read-all', {
    schema: {
      tags: ['notifications'],
      summary: 'Mark every notification read',
      response: { 204: z.null(), ...problemResponses(401) },
    },
    handler: async (request, reply) => {
      await notificationRepository.markAllRead(db, request.userId);
      return reply.code(204).send(null);
    },
  });
};
