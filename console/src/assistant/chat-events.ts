/** The streamed chat answer (`POST /chat`, `Accept: text/event-stream`) read event by event, as pieces arrive. */
import type { ChatAction, ChatResponse, Problem } from '@todo/contract';

export type ChatEvent =
  | { event: 'action'; data: ChatAction }
  | { event: 'delta'; data: { text: string } }
  | { event: 'done'; data: ChatResponse }
  | { event: 'error'; data: Problem };

/** Splits a growing event-stream text into whole events; what is left is the start of the next one. */
export function takeEvents(buffer: string): { events: ChatEvent[]; rest: string } {
  const events: ChatEvent[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const event = /^event: ?(.*)$/m.exec(block)?.[1];
    const data = /^data: ?(.*)$/m.exec(block)?.[1];
    if (!event || data === undefined) continue;
    try {
      events.push({ event, data: JSON.parse(data) } as ChatEvent);
    } catch {
      // A malformed event is skipped; `done` still brings the whole answer.
    }
  }
  return { events, rest };
}

/** The tasks an answer touched (a tool's result that is a task), each once, for links. */
export function touchedTasks(actions: readonly ChatAction[]): { id: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const a of actions) {
    const r = a.result as { id?: unknown; title?: unknown } | null;
    if (r && typeof r.id === 'string' && typeof r.title === 'string' && a.tool !== 'delete_task')
      seen.set(r.id, r.title);
  }
  return [...seen].map(([id, title]) => ({ id, title }));
}
