import {
  createTaskBody,
  listTasksQuery,
  moveTaskBody,
  tagCount,
  task,
  taskIdParams,
  taskPage,
  updateTaskBody,
} from '@todo/contract';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, ifNoneMatchHits, PRECONDITION_PATTERN, parsePrecondition } from '../http/etag.js';
import { bodiless, documented, problemResponses } from '../http/openapi.js';
import type { TaskService } from './task.service.js';
import { publicView } from './task-row.js';
import type { TrashService } from './trash.service.js';

/** The created task's id, for the fuzzer and client generators to follow to the task's own operations. */
const createdTaskLinks = Object.fromEntries(
  (['getTask', 'updateTask', 'deleteTask', 'completeTask', 'reopenTask', 'moveTask'] as const).map(
    (operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }],
  ),
);

/** If-Match on a task write: the parser checks the grammar and names If-Match in its 400; the pattern tells clients. */
const ifMatchHeaders = z.object({
  'if-match': z.string().max(1000).meta({ pattern: PRECONDITION_PATTERN, example: '"3"' }).optional(),
});

export const taskRoutes: FastifyPluginAsyncZod<{ tasks: TaskService; trash: TrashService }> = async (
  app,
  { tasks, trash },
) => {
  app.post('/tasks', {
    schema: {
      tags: ['tasks'],
      summary: 'Create a task',
      description:
        "In `projectId` (default: the caller's Inbox), which the caller must be an editor or owner of: a viewer " +
        'gets 403, a non-member 404. `assigneeId` must be a member of the project (422); the assignee is notified.',
      operationId: 'createTask',
      body: createTaskBody,
      response: {
        201: documented(task, { description: 'The task created', headers: ['ETag', 'Location'] }),
        ...problemResponses(400, 401, 403, 404, 413, 415, 422),
      },
    },
    links: { 201: createdTaskLinks },
    handler: async (request, reply) => {
      const created = await tasks.create(request.userId, request.body);
      return reply
        .code(201)
        .header('etag', etagOf(created.version))
        .header('location', `/api/v1/tasks/${created.id}`)
        .send(publicView(created));
    },
  });

  app.get('/tasks', {
    schema: {
      tags: ['tasks'],
      summary: 'List, filter, search and sort tasks (cursor-paginated)',
      querystring: listTasksQuery,
      response: { 200: taskPage, ...problemResponses(400, 401, 422) },
    },
    handler: async (request, reply) => {
      // PostgreSQL wrote the body in the documented shape (taskPage); a JSON string is sent as it is.
      const body = await tasks.listPageJson(request.userId, request.query);
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
    },
  });

  app.get('/tasks/:id', {
    schema: {
      tags: ['tasks'],
      summary: 'Get a task',
      operationId: 'getTask',
      params: taskIdParams,
      headers: z.object({
        // It only saves a transfer: a value the parser cannot read is ignored (200), so no pattern here.
        'if-none-match': z
          .string()
          .meta({
            description:
              'Entity-tags the client holds (weak comparison, or `*`): naming the current version answers 304 without a body.',
            example: '"3"',
          })
          .optional(),
      }),
      response: {
        200: documented(task, { description: 'The task', headers: ['ETag'] }),
        304: bodiless('Not modified: If-None-Match names the current version', ['ETag']),
        ...problemResponses(400, 401, 404),
      },
    },
    handler: async (request, reply) => {
      const found = await tasks.get(request.userId, request.params.id);
      const etag = etagOf(found.version);
      if (ifNoneMatchHits(request.headers['if-none-match'], found.version)) {
        return reply.code(304).header('etag', etag).send(null);
      }
      return reply.header('etag', etag).send(publicView(found));
    },
  });

  app.patch('/tasks/:id', {
    schema: {
      tags: ['tasks'],
      summary: 'Update some fields of a task; send If-Match to update only an unchanged task',
      description:
        "Editors and owners of the task's project write; a viewer gets 403, a non-member 404. A new `assigneeId` " +
        'must be a member of the project (422) and is notified.',
      operationId: 'updateTask',
      params: taskIdParams,
      headers: ifMatchHeaders,
      body: updateTaskBody,
      response: {
        200: documented(task, { description: 'The task updated', headers: ['ETag'] }),
        ...problemResponses(400, 401, 403, 404, 412, 413, 415, 422),
      },
    },
    handler: async (request, reply) => {
      const ifMatch = parsePrecondition(request.headers['if-match'], 'If-Match');
      const updated = await tasks.update(request.userId, request.params.id, request.body, ifMatch);
      return reply.header('etag', etagOf(updated.version)).send(publicView(updated));
    },
  });

  app.delete('/tasks/:id', {
    schema: {
      tags: ['tasks'],
      summary: 'Move a task and its subtasks to the Trash (kept 30 days, restorable)',
      operationId: 'deleteTask',
      params: taskIdParams,
      response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await trash.trash(request.userId, request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post('/tasks/:id/move', {
    schema: {
      tags: ['tasks'],
      summary:
        'Move a task (with its subtasks) to another project, under another parent and/or between two siblings; send If-Match to move only an unchanged task',
      operationId: 'moveTask',
      params: taskIdParams,
      headers: ifMatchHeaders,
      body: moveTaskBody,
      response: {
        200: documented(task, { description: 'The task moved', headers: ['ETag'] }),
        ...problemResponses(400, 401, 403, 404, 412, 413, 415, 422),
      },
    },
    handler: async (request, reply) => {
      const ifMatch = parsePrecondition(request.headers['if-match'], 'If-Match');
      const moved = await tasks.move(request.userId, request.params.id, request.body, ifMatch);
      return reply.header('etag', etagOf(moved.version)).send(publicView(moved));
    },
  });

  for (const action of ['complete', 'reopen'] as const) {
    app.post(`/tasks/:id/${action}`, {
      schema: {
        tags: ['tasks'],
        summary:
          action === 'complete'
            ? 'Mark a task done (creates the next occurrence of a recurring task)'
            : 'Mark a task open again',
        operationId: `${action}Task`,
        params: taskIdParams,
        response: {
          200: documented(task, { description: 'The task', headers: ['ETag'] }),
          ...problemResponses(400, 401, 403, 404),
        },
      },
      handler: async (request, reply) => {
        const changed = await tasks[action](request.userId, request.params.id);
        return reply.header('etag', etagOf(changed.version)).send(publicView(changed));
      },
    });
  }

  app.get('/tags', {
    schema: {
      tags: ['tasks'],
      summary: 'Tags in use with the number of tasks carrying each',
      response: {
        200: z.array(tagCount),
        ...problemResponses(401),
      },
    },
    handler: async (request) => tasks.tags(request.userId),
  });
};
