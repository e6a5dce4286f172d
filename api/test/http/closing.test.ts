import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { loadConfig } from '@todo/contract';
import { deferred, eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { type AppOptions, buildApp } from '../../src/app.js';
import { PgliteDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { parseHead, type RawResponse, readUntilClosed } from './raw-http.js';

/** A listening app on embedded storage, built with the given HTTP options. */
async function listeningApp(opts: Pick<AppOptions, 'requestTimeout'> = {}, onRequest = () => {}) {
  const db = await PgliteDatabase.open('memory://');
  await migrate(db);
  const app = await buildApp({ config: loadConfig({ CONSOLE_DIR: '/nonexistent' }), db, ...opts });
  app.server.addHook('onRequest', async () => onRequest());
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.server.address() as AddressInfo).port;
  return { app, db, port };
}

/** The responses in a stream of HTTP/1.1 messages with Content-Length bodies. */
function responses(text: string): RawResponse[] {
  const out = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1')) {
    const end = rest.indexOf('\r\n\r\n');
    const head = parseHead(rest.slice(0, end));
    const length = Number(head.headers['content-length'] ?? 0);
    const body = Buffer.from(rest.slice(end + 4), 'utf8')
      .subarray(0, length)
      .toString('utf8');
    out.push({ ...head, body });
    rest = rest.slice(end + 4 + body.length);
  }
  return out;
}

describe('a server that is closing or waiting', () => {
  it('finishes the request in progress and answers the next one on its connection with a problem+json 503', async () => {
    const firstStarted = deferred();
    const { app, db, port } = await listeningApp({}, () => firstStarted.resolve());
    const signup = JSON.stringify({ email: 'closing@example.com', password: 'correct horse battery' });
    const socket = connect(port, '127.0.0.1');
    const received = readUntilClosed(socket);
    let closed: Promise<undefined> | undefined;
    try {
      // The first request is in progress (its body not yet complete) when the server starts closing.
      const head = `POST /api/v1/auth/signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(signup)}\r\n\r\n`;
      socket.write(head + signup.slice(0, 10));
      await firstStarted.promise;
      closed = app.server.close();
      await eventually('the listener to close', async () => !app.server.server.listening, 5_000, 10);
      // The rest of its body, and a second request pipelined behind it on the same connection.
      socket.write(`${signup.slice(10)}GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      const [first, second, ...more] = responses(await received);
      expect(first?.status).toBe(201);
      expect(second?.status).toBe(503);
      expect(second?.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(second?.headers.connection).toBe('close');
      expect(second?.headers['retry-after']).toBe('1');
      expect(JSON.parse(second!.body)).toMatchObject({ status: 503, title: 'Service Unavailable' });
      expect(more).toEqual([]);
    } finally {
      socket.destroy();
      await (closed ?? app.server.close());
      await db.close();
    }
  });

  it('answers a request that does not arrive in time with a problem+json 408 and closes the connection', async () => {
    const { app, db, port } = await listeningApp({ requestTimeout: { ms: 300, checkEveryMs: 50 } });
    const socket = connect(port, '127.0.0.1');
    const received = readUntilClosed(socket);
    try {
      // Headers and 3 of the 20 announced body bytes, then nothing.
      socket.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{"a',
      );
      const [answer, ...more] = responses(await received);
      expect(answer?.status).toBe(408);
      expect(answer?.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer!.body)).toMatchObject({ status: 408, title: 'Request Timeout' });
      expect(more).toEqual([]);
    } finally {
      socket.destroy();
      await app.server.close();
      await db.close();
    }
  });
});
