import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { useTestApp } from '../support/test-app.js';
import { httpMessage, rawRequest } from './raw-http.js';

describe('the request log', () => {
  const t = useTestApp('pglite');
  let server: FastifyInstance;
  let port: number;
  const lines: string[] = [];
  let token: string;

  beforeAll(async () => {
    // The same database and config, served by an app that logs everything it can into `lines`.
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    ({ server } = await buildApp({ config: t.config, db: t.db, logger }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
    token = t.auth.authorization.slice('Bearer '.length);
  });
  afterAll(() => server.close());

  it('logs requests with their URL but never the session token they carry', async () => {
    const calendar = await server.inject({ url: `/api/v1/calendar.ics?access_token=${token}` });
    expect(calendar.statusCode).toBe(200);
    const stream = await server.inject({ url: `/api/v1/stream?access_token=${token}x` });
    expect(stream.statusCode).toBe(401);
    const tasks = await server.inject({
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tasks.statusCode).toBe(200);
    const logged = lines.join('');
    expect(logged).toContain('/api/v1/calendar.ics?access_token=[REDACTED]');
    expect(logged).toContain('/api/v1/stream?access_token=[REDACTED]');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.split('.')[2]);
  });

  it('logs a calendar feed request without the secret in its path', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const { url } = (await server.inject({ url: '/api/v1/calendar/feed-url', headers: auth })).json();
    const path = new URL(url).pathname;
    const secret = path.split('/').pop()!.replace('.ics', '');
    expect((await server.inject({ url: path })).statusCode).toBe(200);
    expect(lines.join('')).toContain('/api/v1/calendar/feeds/[REDACTED]');
    expect(lines.join('')).not.toContain(secret);
  });

  it('logs a request the HTTP parser refuses without the credentials in its raw bytes', async () => {
    const res = await rawRequest(
      port,
      httpMessage('GET', `/api/v1/tasks?access_token=${token}`, {
        authorization: `Bearer ${token}`,
        'x-padding': 'p'.repeat(20_000),
      }),
    );
    expect(res.status).toBe(431);
    expect(lines.join('')).toContain('request refused by the HTTP parser');
    expect(lines.join('')).not.toContain(token.split('.')[2]);
  });

  it("leaves the probes' calls out of the log, but not a request beside them", async () => {
    const from = lines.length;
    expect((await server.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await server.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await server.inject({ url: '/api/v1/tasks' })).statusCode).toBe(401);
    const logged = lines.slice(from).join('');
    expect(logged).not.toContain('/healthz');
    expect(logged).not.toContain('/readyz');
    expect(logged).toContain('/api/v1/tasks');
  });
});
