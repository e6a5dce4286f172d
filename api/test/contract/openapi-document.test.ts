import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SSE_EVENT_NAMES } from '@todo/contract';
import { pythonTools, run, tempDir } from '@todo/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { useTestApp } from '../support/test-app.js';

interface Response {
  $ref?: string;
  content?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  links?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema: { pattern?: string; maxLength?: number };
  }[];
  security?: Record<string, string[]>[];
  responses: Record<string, Response>;
}
interface Document {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string }>;
    headers?: Record<string, { required?: boolean; schema: unknown }>;
    responses?: Record<string, Response>;
  };
}

const app = useTestApp('pglite');
let document: Document;

beforeAll(async () => {
  document = (await app.server.inject({ url: '/api/openapi.json' })).json();
});

/** A response, or the `components.responses` entry it refers to. */
const resolved = (response: Response): Response =>
  response.$ref
    ? (document.components.responses?.[response.$ref.replace('#/components/responses/', '')] ?? {})
    : response;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
const operation = (method: string, path: string): Operation => {
  const found = document.paths[path]?.[method];
  if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return found;
};

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for an independent validator (openapi-spec-validator)', async () => {
    const dir = await tempDir('openapi-');
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(document));
      // `run` rejects with the validator's own message when the document is invalid.
      const out = await run(join(pythonTools().bin, 'openapi-spec-validator'), ['--schema', '3.1', file], {
        timeoutMs: 60_000,
      });
      expect(out).toContain('OK');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('documents every error response as application/problem+json and nothing else', () => {
    const errors = operations().flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => [`${name} ${status}`, Object.keys(resolved(response).content ?? {})]),
    );
    expect(errors.length).toBeGreaterThan(20);
    expect(Object.fromEntries(errors)).toEqual(
      Object.fromEntries(errors.map(([name]) => [name, ['application/problem+json']])),
    );
  });

  it('documents on every operation the 431 of an oversized request line, and 414 where a path has parameters', () => {
    for (const { name, operation } of operations()) {
      expect(resolved(operation.responses['431'] ?? {}).content, name).toBeDefined();
      expect(resolved(operation.responses['414'] ?? {}).content !== undefined, name).toBe(name.includes('{'));
    }
    expect(document.components.responses?.MethodNotAllowed?.headers).toEqual({
      Allow: { $ref: '#/components/headers/Allow' },
    });
  });

  it('documents on every operation a 503 (shutting down, the database unreachable or busy), with Retry-After where the API sends it', () => {
    for (const { name, operation } of operations()) {
      expect(resolved(operation.responses['503'] ?? {}).content, name).toBeDefined();
    }
    expect(operation('get', '/api/v1/tasks').responses['503']).toEqual({
      $ref: '#/components/responses/Unavailable',
    });
    expect(document.components.responses?.Unavailable?.headers).toEqual({
      'Retry-After': { $ref: '#/components/headers/Retry-After' },
    });
  });

  it('documents the calendar feed as text/calendar and the stream as text/event-stream', () => {
    expect(Object.keys(operation('get', '/api/v1/calendar.ics').responses['200']?.content ?? {})).toEqual([
      'text/calendar',
    ]);
    expect(Object.keys(operation('get', '/api/v1/stream').responses['200']?.content ?? {})).toEqual([
      'text/event-stream',
    ]);
  });

  it('documents each event of the stream: its id, one of the SSE event names, and JSON data', () => {
    const schemas = (document.components as unknown as { schemas: Record<string, unknown> }).schemas;
    expect(operation('get', '/api/v1/stream').responses['200']?.content?.['text/event-stream']).toEqual({
      schema: { $ref: '#/components/schemas/StreamEvent' },
    });
    expect(schemas.StreamEvent).toMatchObject({
      required: ['id', 'event', 'data'],
      properties: {
        event: { enum: [...SSE_EVENT_NAMES] },
        data: { type: 'string', contentMediaType: 'application/json' },
      },
    });
  });

  it('documents the ETag every task answer carries, Location on create, and the Allow header of a 405', () => {
    const headersOf = (method: string, path: string, status: string) =>
      Object.keys(operation(method, path).responses[status]?.headers ?? {});
    expect(headersOf('post', '/api/v1/tasks', '201')).toEqual(['ETag', 'Location']);
    for (const [method, path] of [
      ['get', '/api/v1/tasks/{id}'],
      ['patch', '/api/v1/tasks/{id}'],
      ['post', '/api/v1/tasks/{id}/complete'],
      ['post', '/api/v1/tasks/{id}/reopen'],
    ] as const) {
      expect(headersOf(method, path, '200'), `${method} ${path}`).toEqual(['ETag']);
    }
    expect(document.components.headers?.ETag).toMatchObject({ required: true });
    expect(document.components.headers?.Allow).toMatchObject({ required: true });
  });

  it('documents If-None-Match where the server honours it, and its 304: no body, the ETag', async () => {
    const get = operation('get', '/api/v1/tasks/{id}');
    const header = get.parameters?.find((p) => p.name === 'if-none-match');
    expect(header).toMatchObject({ in: 'header', required: false });
    // The server ignores a value it cannot read, so the document must not refuse one with a pattern.
    expect(header?.schema.pattern).toBeUndefined();
    expect(get.responses['304']).toEqual({
      description: expect.any(String),
      headers: { ETag: { $ref: '#/components/headers/ETag' } },
    });
    const claiming = operations().filter(
      ({ operation }) =>
        operation.responses['304'] || operation.parameters?.some((p) => p.name === 'if-none-match'),
    );
    expect(claiming.map(({ name }) => name)).toEqual(['GET /api/v1/tasks/{id}']);

    const { id } = await createTask(app, app.auth, { title: 'x' });
    const get304 = (ifNoneMatch: string) =>
      app.server.inject({
        url: `/api/v1/tasks/${id}`,
        headers: { ...app.auth, 'if-none-match': ifNoneMatch },
      });
    const notModified = await get304('"1"');
    expect([notModified.statusCode, notModified.headers.etag, notModified.body]).toEqual([304, '"1"', '']);
    expect((await get304('yesterday')).statusCode).toBe(200);
  });

  it('needs no token for sign-up, log-in and the secret calendar feed, and a bearer token everywhere else', () => {
    expect(document.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(operation('post', '/api/v1/auth/signup').security).toEqual([]);
    expect(operation('post', '/api/v1/auth/login').security).toEqual([]);
    const open = operations().filter(({ operation }) => operation.security !== undefined);
    expect(open.map(({ name }) => name).sort()).toEqual([
      'GET /api/v1/calendar/feeds/{feed}',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/signup',
    ]);
    for (const { operation } of open) expect(operation.security).toEqual([]);
  });

  it('documents the If-Match grammar the server reads: a header is refused with 400 exactly when it breaks it', async () => {
    const header = operation('patch', '/api/v1/tasks/{id}').parameters?.find((p) => p.name === 'if-match');
    const pattern = new RegExp(header?.schema.pattern ?? '(?:)');
    const { id } = await createTask(app, app.auth, { title: 'x' });
    const values = [
      '*',
      ' * ',
      '"1"',
      'W/"1"',
      '"1", "2"',
      ', "1" ,',
      '"2"',
      '"1",,W/"x"',
      '*, "1"',
      '1',
      '"1',
    ];
    for (const value of [...values, 'yesterday', '', ',', 'W/ "1"', '"a"b"', '"1" "2"']) {
      const res = await app.server.inject({
        method: 'PATCH',
        url: `/api/v1/tasks/${id}`,
        headers: { ...app.auth, 'if-match': value },
        payload: {},
      });
      expect({ value, refused: res.statusCode === 400 }).toEqual({ value, refused: !pattern.test(value) });
    }
  });

  it('documents access_token as a token, so the largest one allowed fits in the 16 KiB request line', () => {
    for (const path of ['/api/v1/stream', '/api/v1/calendar.ics']) {
      const param = operation('get', path).parameters?.find((p) => p.name === 'access_token');
      const { pattern = '(?:)', maxLength = Number.POSITIVE_INFINITY } = param?.schema ?? {};
      expect(new RegExp(pattern).test('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'), path).toBe(true);
      for (const outside of ['a b', 'a%b', 'a€b', 'a\nb', ''])
        expect(new RegExp(pattern).test(outside), path).toBe(false);
      expect(maxLength, path).toBeLessThanOrEqual(8192);
    }
  });

  it("links a created task's id to the operations on that task", () => {
    const links = operation('post', '/api/v1/tasks').responses['201']?.links ?? {};
    expect(Object.keys(links).sort()).toEqual([
      'completeTask',
      'deleteTask',
      'getTask',
      'moveTask',
      'reopenTask',
      'updateTask',
    ]);
    const ids = new Set(operations().map(({ operation }) => operation.operationId));
    for (const link of Object.values(links)) {
      expect(link).toMatchObject({ parameters: { id: '$response.body#/id' } });
      expect(ids).toContain((link as { operationId: string }).operationId);
    }
  });
});
