import {
  CHAT_MESSAGE_MAX,
  CHAT_STREAM_EVENTS,
  CHAT_TURNS_MAX,
  chatRequest,
  chatResponse,
} from '@todo/contract';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/errors.js';
import { problemResponses } from '../http/openapi.js';
import { problem } from '../http/problem.js';
import type { ChatService, ChatSink } from './chat.service.js';

/** A chat request is one short message: anything much larger is refused before it is read (413). */
export const CHAT_BODY_LIMIT = 16 * 1024;

/** One Server-Sent Event of the streaming variant, as OpenAPI 3.1 documents an event stream. */
const chatStreamEvent = z
  .strictObject({
    event: z.enum(CHAT_STREAM_EVENTS),
    data: z.string().meta({
      contentMediaType: 'application/json',
      description:
        '`action`: a ChatAction; `delta`: `{text}`, the next piece of the reply; `done`: the ChatResponse; `error`: a problem document',
    }),
  })
  .meta({ id: 'ChatStreamEvent' });

const wantsStream = (accept: string | undefined) => /\btext\/event-stream\b/i.test(accept ?? '');

export const chatRoutes: FastifyPluginAsyncZod<{ chat: ChatService }> = async (app, { chat }) => {
  app.post('/chat', {
    bodyLimit: CHAT_BODY_LIMIT,
    schema: {
      tags: ['assistant'],
      summary: 'Ask the assistant to manage tasks in plain English',
      description:
        `One message (at most ${CHAT_MESSAGE_MAX} characters) in a conversation of the caller's (at most ${CHAT_TURNS_MAX} ` +
        'messages; 409 past that). The assistant calls the task tools for the caller only and reports each call in ' +
        '`actions`. With `Accept: text/event-stream` the answer streams: `action` events as tools run, `delta` events ' +
        "as the reply forms, then `done`. Another user's conversation is 404.",
      body: chatRequest,
      response: {
        200: {
          description: 'The reply and what was done',
          content: {
            'application/json': { schema: chatResponse },
            'text/event-stream': { schema: chatStreamEvent },
          },
        },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 503),
      },
    },
    handler: async (request, reply) => {
      const turn = await chat.accept(request.userId, request.body);
      if (!wantsStream(request.headers.accept)) return turn.run();
      return stream(reply as FastifyReply, request.id, (sink) => turn.run(sink));
    },
  });
};

/** Writes the turn as Server-Sent Events; a failure once the stream has begun is an `error` event. */
async function stream(
  reply: FastifyReply,
  requestId: string,
  run: (sink: ChatSink) => Promise<unknown>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    'x-request-id': requestId,
  });
  const send = (event: string, data: unknown) => {
    if (!raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  try {
    const response = await run({
      action: (action) => send('action', action),
      delta: (text) => send('delta', { text }),
    });
    send('done', response);
  } catch (err) {
    if (err instanceof AppError) send('error', problem(err.status, err.message, err.errors));
    else {
      reply.log.error({ err }, 'chat stream failed');
      send('error', problem(500, 'Something went wrong on our side.'));
    }
  } finally {
    raw.end();
  }
}
