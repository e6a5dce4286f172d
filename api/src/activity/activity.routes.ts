import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { BadRequestError } from '../http/errors.js';
import { problemResponses } from '../http/openapi.js';

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

interface Row {
  id: string;
  type: string;
  task_id: string;
  title: string;
  occurred_at: Date;
  changes: { fields?: string[] };
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new BadRequestError('The cursor is not one returned by this API.', [
      { path: 'cursor', message: 'is invalid' },
    ]);
  }
  return { at, id };
}

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
    handler: async (request) => {
      const { limit, cursor } = request.query;
      const params: unknown[] = [request.userId, limit + 1];
      let after = '';
      if (cursor) {
        const c = decodeCursor(cursor);
        params.push(c.at, c.id);
        after = 'AND (occurred_at, id) < ($3::timestamptz, $4::uuid)';
      }
      const { rows } = await db.query<Row>(
        `SELECT id, type, task_id, title, occurred_at, changes FROM activity
         WHERE user_id = $1 ${after} ORDER BY occurred_at DESC, id DESC LIMIT $2`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          type: r.type,
          taskId: r.task_id,
          title: r.title,
          occurredAt: r.occurred_at.toISOString(),
          changes: r.changes,
        })),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(`${last.occurred_at.toISOString()}|${last.id}`).toString('base64url')
            : null,
      };
    },
  });
};
