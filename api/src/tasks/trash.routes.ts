import { listTrashQuery, task, taskIdParams, trashPage } from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { etagOf } from '../http/etag.js';
import { documented, problemResponses } from '../http/openapi.js';
import { publicView } from './task-row.js';
import type { TrashService } from './trash.service.js';

export const trashRoutes: FastifyPluginAsyncZod<{ trash: TrashService }> = async (app, { trash }) => {
  app.get('/trash', {
    schema: {
      tags: ['tasks'],
      summary: 'Tasks in the Trash, most recently deleted first (cursor-paginated); purged after 30 days',
      operationId: 'listTrash',
      querystring: listTrashQuery,
      response: { 200: trashPage, ...problemResponses(400, 401, 422) },
    },
    handler: async (request) => {
      const page = await trash.list(request.userId, request.query);
      return { items: page.items.map(publicView), nextCursor: page.nextCursor };
    },
  });

  app.post('/trash/:id/restore', {
    schema: {
      tags: ['tasks'],
      summary:
        'Restore a task and the subtasks deleted with it; under its parent if that is not in the Trash, else at the top level',
      operationId: 'restoreTask',
      params: taskIdParams,
      response: {
        200: documented(task, { description: 'The task restored', headers: ['ETag'] }),
        ...problemResponses(400, 401, 404),
      },
    },
    handler: async (request, reply) => {
      const restored = await trash.restore(request.userId, request.params.id);
      return reply.header('etag', etagOf(restored.version)).send(publicView(restored));
    },
  });
};
