import {
  exportDocument,
  exportQuery,
  IMPORT_MAX_BYTES,
  type ImportFormat,
  importDocument,
  importQuery,
  importResult,
} from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../http/errors.js';
import { problemResponses } from '../http/openapi.js';
import type { ImportService } from './import.service.js';
import { readExportDocument } from './import-json.js';
import type { ImportPlan } from './import-plan.js';
import type { PortabilityExport } from './portability-export.js';

/** Each import format's media type: the body's Content-Type names the format unless `format` does. */
const MEDIA_TYPES: Record<ImportFormat, string> = {
  json: 'application/json',
  'todoist-csv': 'text/csv',
  ics: 'text/calendar',
};
const FORMAT_OF = new Map(Object.entries(MEDIA_TYPES).map(([f, m]) => [m, f as ImportFormat]));

/** The readers of text formats, added as they land; JSON is read by readExportDocument. */
export type TextReaders = Partial<Record<Exclude<ImportFormat, 'json'>, (text: string) => ImportPlan>>;

export const portabilityRoutes: FastifyPluginAsyncZod<{
  exports: PortabilityExport;
  imports: ImportService;
  readers: TextReaders;
}> = async (app, { exports, imports, readers }) => {
  // CSV and iCalendar bodies reach the handler as text; only this plugin reads them.
  app.addContentTypeParser(['text/csv', 'text/calendar'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  app.get('/export', {
    schema: {
      tags: ['portability'],
      summary:
        "Export the user's projects and tasks: JSON (lossless, re-importable) or CSV (for spreadsheets)",
      operationId: 'exportTasks',
      querystring: exportQuery,
      response: {
        200: {
          description: 'The export, as a download',
          content: {
            'application/json': { schema: exportDocument },
            'text/csv': { schema: z.string() },
          },
        },
        ...problemResponses(400, 401),
      },
    },
    handler: async (request, reply) => {
      const { format } = request.query;
      const now = new Date();
      const name = `todo-export-${now.toISOString().slice(0, 10)}.${format}`;
      reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store');
      // A stream of the documented body: fastify sends it as it is read, past the response serializer (the
      // type provider types send() by the body itself, hence the cast).
      const body =
        format === 'csv' ? await exports.csv(request.userId) : await exports.json(request.userId, now);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .send(body as unknown as string);
    },
  });

  app.post('/import', {
    bodyLimit: IMPORT_MAX_BYTES,
    config: {
      requestBodies: {
        'application/json': importDocument,
        'text/csv': z.string().meta({ description: "Todoist's CSV template format" }),
        'text/calendar': z.string().meta({ description: 'iCalendar (RFC 5545) with VTODO components' }),
      },
    },
    schema: {
      tags: ['portability'],
      summary: 'Import tasks from our JSON export, a Todoist CSV or iCalendar VTODOs, all or nothing',
      description:
        'One transaction: the file is imported whole or not at all. Importing the same file again creates ' +
        'nothing (tasks are remembered by their id in the source). What could not be mapped is listed in ' +
        '`skipped`, by line. At most 10,000 tasks and 16 MiB per import (413). A Todoist CSV or iCalendar ' +
        'file goes into the Inbox, or into `projectId` (a project the caller may write: 404 for one it is not ' +
        'a member of, 403 for a viewer).',
      operationId: 'importTasks',
      querystring: importQuery,
      response: {
        200: importResult,
        ...problemResponses(400, 401, 403, 404, 413, 415, 422),
      },
    },
    handler: async (request) => {
      const mediaType = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const format = request.query.format ?? FORMAT_OF.get(mediaType) ?? 'json';
      if (MEDIA_TYPES[format] !== mediaType) {
        throw new ValidationError(
          `format=${format} is read from Content-Type: ${MEDIA_TYPES[format]}, not ${mediaType || 'none'}.`,
        );
      }
      const { projectId } = request.query;
      if (format === 'json' && projectId) {
        throw new ValidationError(
          'projectId places a Todoist CSV or iCalendar import; our JSON names the project of each task.',
        );
      }
      const plan =
        format === 'json' ? readExportDocument(request.body) : readTextFormat(readers, format, request.body);
      return imports.run(request.userId, plan, { projectId });
    },
  });
};

function readTextFormat(readers: TextReaders, format: Exclude<ImportFormat, 'json'>, body: unknown) {
  const read = readers[format];
  if (!read) throw new ValidationError(`Importing ${format} is not available yet.`);
  return read(typeof body === 'string' ? body : '');
}
