/**
 * A STAND-IN for an OpenAI-compatible chat-completions API, on loopback: no model runs here. It replays
 * scripted answers (text, or tool calls) so the assistant's model path can be tested and measured without a
 * model: `script` picks the answer to each request from what the request holds, and every request is kept
 * for the test to inspect. Answers stream as Server-Sent Events, as a real API does with `stream: true`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: text (streamed in word-sized pieces), tool calls (arguments as the model's raw text), or a failure. */
export type StandInAnswer =
  | { text: string }
  | { toolCalls: { name: string; arguments: string }[]; text?: string }
  | { status: number };

export interface StandInRequest {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools: { type: string; function: { name: string; parameters: unknown } }[];
  max_tokens: number;
  authorization: string | undefined;
}

export interface ModelStandIn {
  url: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

/** How many model answers this message has had so far: its step in a scripted conversation. */
export function stepOf(req: StandInRequest): number {
  const lastUser = req.messages.findLastIndex((m) => m.role === 'user');
  return req.messages.slice(lastUser + 1).filter((m) => m.role === 'assistant').length;
}

/** A script that answers each message's steps in order, the last answer again past the end. */
export const replay =
  (...answers: StandInAnswer[]) =>
  (req: StandInRequest): StandInAnswer =>
    answers[Math.min(stepOf(req), answers.length - 1)]!;

async function body(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw;
}

export async function startModelStandIn(
  script: (req: StandInRequest) => StandInAnswer,
  options: { latencyMs?: number } = {},
): Promise<ModelStandIn> {
  const requests: StandInRequest[] = [];
  let calls = 0;
  const server = createServer(async (req, res) => {
    const parsed = JSON.parse(await body(req)) as Omit<StandInRequest, 'authorization'>;
    const request = { ...parsed, authorization: req.headers.authorization };
    requests.push(request);
    const answer = script(request);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if ('status' in answer) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end('{"error":{"message":"stand-in failure"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const id = `chatcmpl-standin-${++calls}`;
    const chunk = (delta: object, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    for (const word of (answer.text ?? '').match(/\S+\s*/g) ?? []) chunk({ content: word });
    if ('toolCalls' in answer) {
      answer.toolCalls.forEach((call, index) => {
        const callId = `call_${calls}_${index}`;
        // The name first, then the arguments in two pieces, as real APIs split them.
        chunk({
          tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }],
        });
        const half = Math.floor(call.arguments.length / 2);
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(0, half) } }] });
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] });
      });
    }
    chunk({}, 'toolCalls' in answer ? 'tool_calls' : 'stop');
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
