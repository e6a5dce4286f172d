import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, openEventStream, readEventStream } from '../src/testing/index.js';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('readEventStream', () => {
  it('parses messages split anywhere across chunks: comments, ids, events, multi-line data', async () => {
    const messages = [];
    for await (const m of readEventStream(
      chunks(': connected\n\nid: 7\nevent: task.cre', 'ated\ndata: {"a":1}\n\n', 'data:x\ndata: y\n\n'),
    ))
      messages.push(m);
    expect(messages).toEqual([
      { comment: 'connected' },
      { id: '7', event: 'task.created', data: '{"a":1}' },
      { data: 'x\ny' },
    ]);
  });
});

describe('openEventStream', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A server that answers the stream with `: connected`, then hands the response to the test. */
  async function serve(status = 200): Promise<{ url: string; response: Promise<ServerResponse> }> {
    const handedOver = deferred<ServerResponse>();
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/event-stream' });
      res.write(': connected\n\n');
      handedOver.resolve(res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}/stream`, response: handedOver.promise };
  }

  it('is connected on the server comment, and collects until the condition holds', async () => {
    const { url, response } = await serve();
    const stream = await openEventStream(url);
    await stream.connected;
    expect(stream.contentType).toBe('text/event-stream');
    (await response).write('event: ping\ndata: 1\n\nevent: ping\ndata: 2\n\n');
    const messages = await stream.closeWhen((m) => m.filter((e) => e.event === 'ping').length === 2);
    expect(messages.map((m) => m.data ?? m.comment)).toEqual(['connected', '1', '2']);
  });

  it('gives what it has when the time is up', async () => {
    const { url } = await serve();
    const stream = await openEventStream(url);
    expect(await stream.closeWhen(() => false, 50)).toEqual([{ comment: 'connected' }]);
  });

  it('tells the status of a refused stream, and is done with it at once', async () => {
    const { url } = await serve(401);
    const stream = await openEventStream(url);
    await stream.connected;
    expect(stream.status).toBe(401);
    expect(await stream.closeWhen(() => false, 60_000)).toEqual([]);
  });
});
