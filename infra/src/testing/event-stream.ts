/** A client of a server-sent events stream (`text/event-stream`) for tests: one parser for every workspace. */

/** One message as sent: its fields (data lines joined by `\n`), and its comment line (`: connected`) if any. */
export interface StreamMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** The messages of a `text/event-stream` body, parsed as they arrive. */
export async function* readEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      yield parseMessage(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function parseMessage(block: string): StreamMessage {
  const message: StreamMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
    else if (field === 'id' || field === 'event') message[field] = value;
  }
  return message;
}

/** An open stream: what it answered, and every message received so far, in order. */
export interface EventStream {
  status: number;
  contentType: string | null;
  messages: StreamMessage[];
  /**
   * Resolves when the server's `: connected` comment arrives (from then on a change is sent on this stream,
   * which is what a test waits for instead of sleeping), or when the stream ends or was refused.
   */
  connected: Promise<void>;
  /**
   * Resolves with the messages once `until` holds for them, the stream ended or `timeoutMs` has passed, and
   * closes the stream; rejects with what broke the stream, if anything did.
   */
  closeWhen(until: (messages: StreamMessage[]) => boolean, timeoutMs?: number): Promise<StreamMessage[]>;
  /** Closes the stream, whatever became of it (a test may have stopped the server). */
  close(): Promise<void>;
}

/** `GET url` as an event stream, read in the background until closed; resolves once the response headers came. */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const messages: StreamMessage[] = [];
  const listeners = new Set<() => void>();
  let ended = false;
  let failure: Error | undefined;
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const reading = (async () => {
    if (res.status !== 200 || !res.body) return;
    for await (const message of readEventStream(res.body as unknown as AsyncIterable<Uint8Array>)) {
      messages.push(message);
      if (message.comment === 'connected') onConnected();
      notify();
    }
  })()
    .catch((err: Error) => {
      if (err.name !== 'AbortError') failure = err;
    })
    .finally(() => {
      ended = true;
      onConnected();
      notify();
    });
  const close = async () => {
    abort.abort();
    await reading;
  };
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    messages,
    connected,
    close,
    async closeWhen(until, timeoutMs = 5000) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        }
        function check() {
          if (ended || until(messages)) done();
        }
        listeners.add(check);
        check();
      });
      await close();
      if (failure) throw failure;
      return messages;
    },
  };
}
