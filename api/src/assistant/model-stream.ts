/**
 * Reads one chat-completions answer of an OpenAI-compatible API: streamed (Server-Sent Events of deltas) or
 * whole (JSON), into the reply text and the tool calls asked for, with bounds on how much it reads.
 */

/** A tool call as the model asked for it: `arguments` is the model's JSON text, not yet parsed or trusted. */
export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ModelAnswer {
  content: string;
  toolCalls: ModelToolCall[];
}

/** Past these the rest of an answer is ignored: a model cannot make the server hold unbounded text. */
export const ANSWER_TEXT_MAX = 20_000;
const TOOL_CALLS_MAX = 16;

interface Delta {
  content?: string | null;
  tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
}

/** Reads the answer; `onText` gets each piece of the reply as it arrives. */
export async function readModelAnswer(res: Response, onText: (text: string) => void): Promise<ModelAnswer> {
  const answer: ModelAnswer = { content: '', toolCalls: [] };
  const apply = (delta: Delta | undefined) => {
    if (!delta) return;
    if (typeof delta.content === 'string' && delta.content && answer.content.length < ANSWER_TEXT_MAX) {
      const text = delta.content.slice(0, ANSWER_TEXT_MAX - answer.content.length);
      answer.content += text;
      onText(text);
    }
    for (const [position, part] of (delta.tool_calls ?? []).entries()) {
      const index = typeof part.index === 'number' ? part.index : position;
      if (index < 0 || index >= TOOL_CALLS_MAX) continue;
      const call = answer.toolCalls[index] ?? { id: '', name: '', arguments: '' };
      answer.toolCalls[index] = call;
      if (typeof part.id === 'string') call.id = part.id.slice(0, 200);
      if (typeof part.function?.name === 'string') call.name = (call.name + part.function.name).slice(0, 200);
      if (typeof part.function?.arguments === 'string' && call.arguments.length < ANSWER_TEXT_MAX) {
        call.arguments += part.function.arguments.slice(0, ANSWER_TEXT_MAX - call.arguments.length);
      }
    }
  };
  if (!/text\/event-stream/i.test(res.headers.get('content-type') ?? '')) {
    const body = (await res.json()) as { choices?: { message?: Delta }[] };
    apply(body.choices?.[0]?.message);
  } else {
    for await (const data of serverSentData(res)) {
      if (data === '[DONE]') break;
      try {
        apply((JSON.parse(data) as { choices?: { delta?: Delta }[] }).choices?.[0]?.delta);
      } catch {
        // A line that is not JSON carries nothing we can use.
      }
    }
  }
  answer.toolCalls = answer.toolCalls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
  return answer;
}

/** The `data:` fields of an event stream, one per event. */
async function* serverSentData(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
    }
    if (buffer.length > 4 * ANSWER_TEXT_MAX) throw new Error('the model sent an event larger than we read');
  }
}
