import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { httpMessage, type RawResponse, rawRequest } from './raw-http.js';

/** The problem document of a raw response, after checking it is one and agrees with the status line. */
function problemIn(res: RawResponse): { status: number; title: string; detail: string } {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body.status).toBe(res.status);
  return body;
}

describe('errors on the wire are problem+json', () => {
  const t = useTestApp('pglite', { user: false });
  let port: number;
  beforeAll(async () => {
    await t.server.listen({ port: 0, host: '127.0.0.1' });
    port = (t.server.server.address() as AddressInfo).port;
  });

  it.each(['QUERY', 'PUT', 'PROPFIND'])('answers %s on a known path with 405 and Allow', async (method) => {
    const res = await rawRequest(port, httpMessage(method, '/api/v1/tasks'));
    expect(res.status).toBe(405);
    expect(res.headers.allow?.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(problemIn(res).title).toBe('Method Not Allowed');
  });

  it('answers QUERY with a JSON body the same way, without reading the body', async () => {
    const body = '{"q":"x"}';
    const res = await rawRequest(
      port,
      httpMessage('QUERY', '/api/v1/tasks', {
        'content-type': 'application/json',
        'content-length': String(body.length),
      }) + body,
    );
    expect(res.status).toBe(405);
    expect(problemIn(res).detail).toContain('QUERY');
  });

  it('answers headers over the limit with 431', async () => {
    const res = await rawRequest(port, httpMessage('GET', '/api/v1/tasks', { 'x-big': 'b'.repeat(20_000) }));
    expect(res.status).toBe(431);
    expect(problemIn(res).title).toBe('Request Header Fields Too Large');
  });

  it('answers a URL over the limit with 431', async () => {
    const res = await rawRequest(port, httpMessage('GET', `/api/v1/tasks?q=${'u'.repeat(20_000)}`));
    expect(res.status).toBe(431);
    problemIn(res);
  });

  it('answers bytes that are not HTTP with 400', async () => {
    const res = await rawRequest(port, 'HELLO\r\n\r\n');
    expect(res.status).toBe(400);
    problemIn(res);
  });

  it('answers CONNECT, which never reaches a route, with 501', async () => {
    const res = await rawRequest(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(res.status).toBe(501);
    expect(problemIn(res).title).toBe('Not Implemented');
  });

  it('answers an undecodable URL with 400 and an over-long path segment with 414', async () => {
    const bad = await rawRequest(port, httpMessage('GET', '/api/v1/tasks/%zz'));
    expect(bad.status).toBe(400);
    expect(problemIn(bad).detail).toContain('percent-encoding');
    const long = await rawRequest(port, httpMessage('GET', `/api/v1/tasks/${'a'.repeat(300)}`));
    expect(long.status).toBe(414);
    expect(problemIn(long).title).toBe('URI Too Long');
  });
});
