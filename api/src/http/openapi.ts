import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import fastifySwagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { problemSchema } from '@todo/contract';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';
import { ifNoneMatchHits } from './etag.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** The response headers the API documents, as OpenAPI Header Objects under `components.headers`. */
const HEADERS = {
  ETag: {
    description:
      'The resource version as a strong entity tag; send it back in `If-Match` to update only that version.',
    required: true,
    schema: { type: 'string', pattern: '^"[^"]*"$' },
  },
  Location: {
    description: 'The URL of the resource just created.',
    required: true,
    schema: { type: 'string' },
  },
  Allow: {
    description: 'The methods the path supports.',
    required: true,
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before sending the request again.',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
} as const;
export type DocumentedHeader = keyof typeof HEADERS;

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * Answers any operation can give before its route runs: Node's parser refuses a request line and headers over
 * 16 KiB (431), the router a path segment over its limit (414), and a known path called with another method
 * gets 405 with `Allow`. And one any operation can give while it runs: 503 with `Retry-After` when the server is
 * shutting down or its database is unreachable or busy for a moment.
 */
const RESPONSES = {
  HeadersTooLarge: { description: 'The request line and headers exceed 16 KiB', content: problemContent },
  UriTooLong: { description: 'A path segment is longer than any identifier', content: problemContent },
  MethodNotAllowed: {
    description: 'The path exists but not with this method',
    headers: { Allow: { $ref: '#/components/headers/Allow' } },
    content: problemContent,
  },
  Unavailable: {
    description:
      'The server is shutting down, or its database is unreachable or busy for a moment; send the request again after `Retry-After` seconds',
    headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
    content: problemContent,
  },
};

/** A response entry that names its media type and the headers it always carries. */
export interface DocumentedResponse<T extends ZodType> {
  description: string;
  content: Record<string, { schema: T }>;
  headers?: readonly DocumentedHeader[];
}

/** Documents a response in another media type than JSON, or one that carries headers (`ETag`, `Location`). */
export function documented<T extends ZodType>(
  schema: T,
  {
    description,
    mediaType = 'application/json',
    headers,
  }: {
    description: string;
    mediaType?: string;
    headers?: readonly DocumentedHeader[];
  },
): DocumentedResponse<T> {
  return { description, content: { [mediaType]: { schema } }, ...(headers ? { headers } : {}) };
}

/** Documents an answer without a body (a 304) and the headers it carries. */
export function bodiless(description: string, headers: readonly DocumentedHeader[]) {
  // The generators read an empty answer from a null schema; documentTruth reads `headers` off the entry.
  return Object.assign(z.null().meta({ description }), { headers });
}

/** Response entries documenting the problem+json answers a route can give. */
export function problemResponses(
  ...statuses: number[]
): Record<number, DocumentedResponse<typeof problemSchema>> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      documented(problemSchema, { description: 'Problem details', mediaType: PROBLEM_CONTENT_TYPE }),
    ]),
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A request body in several media types (`schema.body` documents JSON only), documented as such; the
     * route reads and checks the body itself.
     */
    requestBodies?: Record<string, ZodType>;
  }
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, Record<string, unknown>> }>>;
  components?: Record<string, unknown>;
}

/**
 * What the generators cannot say on their own: a route marked `public` needs no token (`security: []`),
 * and the headers a response names are documented as references to `components.headers`.
 */
function documentTruth(): { transform: SwaggerTransform; transformObject: SwaggerTransformObject } {
  const headersOf = new Map<string, Record<string, readonly DocumentedHeader[]>>();
  const transform: SwaggerTransform = (input) => {
    const result = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
    const { route } = input;
    const schema = result.schema as Record<string, unknown>;
    if (route.config?.public) schema.security = [];
    const bodies = (route.config as { requestBodies?: Record<string, ZodType> } | undefined)?.requestBodies;
    if (bodies) {
      const content = Object.fromEntries(
        Object.entries(bodies).map(([mediaType, body]) => {
          const converted = jsonSchemaTransform({
            ...input,
            schema: { body },
          } as Parameters<typeof jsonSchemaTransform>[0]);
          return [mediaType, { schema: (converted.schema as { body: unknown }).body }];
        }),
      );
      schema.body = { content };
    }
    const named: Record<string, readonly DocumentedHeader[]> = {};
    for (const [status, entry] of Object.entries(route.schema?.response ?? {})) {
      const headers = (entry as Partial<DocumentedResponse<ZodType>>).headers;
      if (headers?.length) named[status] = headers;
    }
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of [route.method].flat()) headersOf.set(`${method.toLowerCase()} ${path}`, named);
    return result;
  };
  const transformObject: SwaggerTransformObject = (input) => {
    const document = jsonSchemaTransformObject(
      input as Parameters<typeof jsonSchemaTransformObject>[0],
    ) as unknown as OpenApiDocument;
    for (const [path, operations] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        operation.responses ??= {};
        const responses = operation.responses;
        responses['431'] ??= { $ref: '#/components/responses/HeadersTooLarge' };
        if (path.includes('{')) responses['414'] ??= { $ref: '#/components/responses/UriTooLong' };
        responses['503'] ??= { $ref: '#/components/responses/Unavailable' };
        for (const [status, names] of Object.entries(headersOf.get(`${method} ${path}`) ?? {})) {
          const response = responses[status];
          if (!response) continue;
          response.headers = Object.fromEntries(
            names.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
          );
        }
      }
    }
    document.components = { ...document.components, headers: HEADERS, responses: RESPONSES };
    return document as ReturnType<SwaggerTransformObject>;
  };
  return { transform, transformObject };
}

/** OpenAPI 3.1 generated from the routes' zod schemas, served at /api/openapi.json and browsable at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Todo API',
        version,
        description:
          'Tasks with priorities, tags, due dates, reminders and recurrence; notifications and live updates. ' +
          'Every error is `application/problem+json` (RFC 9457). A known path called with a method it does ' +
          'not support answers 405 with an `Allow` header listing the methods it does. Every answer is one ' +
          "user's: one with an `ETag` says `Cache-Control: private, no-cache` (a browser may keep it and " +
          'revalidates it with `If-None-Match`), any other `no-store`.',
      },
      servers: [],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    ...documentTruth(),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  let served: ServedDocument | undefined;
  app.get(
    '/api/openapi.json',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      // The document is fixed once the routes are: made, tagged and compressed on the first request only.
      served ??= serveDocument(JSON.stringify(app.swagger()));
      reply
        // Weak (RFC 9110 §8.8.1): one tag for the plain and the compressed representations, which a strong tag
        // would have to tell apart.
        .header('etag', `W/"${served.tag}"`)
        .header('cache-control', 'no-cache')
        .header('vary', 'accept-encoding')
        .type('application/json; charset=utf-8');
      if (ifNoneMatchHits(request.headers['if-none-match'], served.tag)) return reply.code(304).send();
      const encoding = negotiate(request.headers['accept-encoding'] ?? '', ['br', 'gzip', 'identity']);
      if (encoding === 'br' || encoding === 'gzip') {
        return reply.header('content-encoding', encoding).send(served[encoding]);
      }
      return reply.send(served.text);
    },
  );
}

interface ServedDocument {
  text: string;
  /** The entity-tag's opaque value: a digest of the document. */
  tag: string;
  br: Buffer;
  gzip: Buffer;
}

function serveDocument(text: string): ServedDocument {
  const bytes = Buffer.from(text);
  return {
    text,
    tag: createHash('sha256').update(bytes).digest('base64url').slice(0, 27),
    br: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }),
    gzip: gzipSync(bytes, { level: 9 }),
  };
}
