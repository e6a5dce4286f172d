import { z } from 'zod';
import { timeZone } from './date-time.js';
import { text } from './text.js';

/** The longest chat message accepted, in UTF-16 code units. */
export const CHAT_MESSAGE_MAX = 2000;
/** A conversation holds at most this many turns (a message and its reply); past it the client starts a new one. */
export const CHAT_TURNS_MAX = 200;

export const chatRequest = z
  .strictObject({
    message: text({ max: CHAT_MESSAGE_MAX, multiline: true, nonBlank: true }),
    conversationId: z
      .uuid('must be a conversation id (UUID)')
      .optional()
      .meta({ description: 'Continue this conversation (one of the caller’s); absent: start a new one' }),
    timeZone: timeZone
      .optional()
      .meta({ description: 'The zone "today", "tomorrow 9am" and replies’ times are read in (default UTC)' }),
  })
  .meta({ id: 'ChatRequest' });
export type ChatRequest = z.infer<typeof chatRequest>;

/** One tool call the assistant made for a message: what it called, with what, and what came back. */
export const chatAction = z
  .object({
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    result: z.unknown().meta({ description: 'The tool’s result, or `{error}` when it refused the call' }),
  })
  .meta({ id: 'ChatAction' });
export type ChatAction = z.infer<typeof chatAction>;

export const chatResponse = z
  .object({ reply: z.string(), actions: z.array(chatAction), conversationId: z.uuid() })
  .meta({ id: 'ChatResponse' });
export type ChatResponse = z.infer<typeof chatResponse>;

/**
 * The events of the streaming variant (`Accept: text/event-stream`): `action` for each tool call as it
 * finishes, `delta` for each piece of the reply as it forms, then one `done` with the whole response (or
 * `error` with a problem document).
 */
export const CHAT_STREAM_EVENTS = ['action', 'delta', 'done', 'error'] as const;
export type ChatStreamEvent = (typeof CHAT_STREAM_EVENTS)[number];
