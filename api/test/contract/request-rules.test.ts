import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';

// Findings of the contract fuzzer, kept as fixed cases: what the document allows, the server accepts, and
// what it refuses with 400 the document refuses too.

const app = useTestApp('pglite');
let document: {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; schema: { pattern?: string; type?: string } }[];
        responses: Record<string, unknown>;
      }
    >
  >;
};

beforeAll(async () => {
  document = (await app.server.inject({ url: '/api/openapi.json' })).json();
});

describe('requests the document and the server judge alike', () => {
  it('a priority list is refused with 400 exactly when it breaks the documented pattern', async () => {
    const param = document.paths['/api/v1/tasks']?.get?.parameters?.find((p) => p.name === 'priority');
    const pattern = new RegExp(param?.schema.pattern ?? '(?:)');
    const values = ['low', 'high,urgent', ' low , high ', ',low,', 'low,,none', '\tmedium'];
    for (const value of [...values, '', ',', 'lo', 'low high', 'low;high', '0', '\u00a0low', 'LOW']) {
      const res = await app.server.inject({
        url: `/api/v1/tasks?priority=${encodeURIComponent(value)}`,
        headers: app.auth,
      });
      expect({ value, refused: res.statusCode === 400 }).toEqual({ value, refused: !pattern.test(value) });
    }
  });

  it.each([
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['a domain label ending in "-"', 'me@example-.com'],
    ['a domain label over 63 characters', `me@${'b'.repeat(64)}.com`],
  ])('sign-up refuses an email with %s, as the `email` format does', async (_, email) => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: 'correct horse battery' },
    });
    expect(res.statusCode, res.body).toBe(400);
  });

  it('sign-up accepts a local part of exactly 64 characters', async () => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: `${'a'.repeat(64)}@example.com`, password: 'correct horse battery' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it.each([
    ['a time zone the tz database lacks', { title: 'x', timeZone: 'Mars/Olympus_Mons' }],
    ['a day that does not exist', { title: 'x', dueAt: '2030-02-30T10:00:00Z' }],
  ])('answers %s, which matches the document, with 422 rather than 400', async (_, payload) => {
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/tasks', headers: app.auth, payload });
    expect(res.statusCode, res.body).toBe(422);
  });

  it.each([
    ['/api/v1/tasks?limit=', 'limit'],
    ['/api/v1/tasks?limit=%205', 'limit'],
    ['/api/v1/activity?limit=0x5', 'limit'],
    ['/api/v1/notifications?limit=5e0', 'limit'],
    ['/api/v1/stream?lastEventId=', 'lastEventId'],
  ])('refuses %s, which is no integer, as the document says (400 naming %s)', async (url, name) => {
    const path = url.split('?')[0] ?? '';
    const param = document.paths[path]?.get?.parameters?.find((p) => p.name === name);
    expect(param?.schema).toMatchObject({ type: 'integer' });
    const res = await app.server.inject({ url, headers: app.auth });
    expect(res.statusCode, res.body).toBe(400);
  });

  it('answers a well-formed cursor the API did not issue with 422, a malformed one with 400, as documented', async () => {
    for (const url of ['/api/v1/tasks', '/api/v1/activity']) {
      expect(Object.keys(document.paths[url]?.get?.responses ?? {}), url).toEqual(
        expect.arrayContaining(['400', '422']),
      );
      expect(
        (await app.server.inject({ url: `${url}?cursor=AAAAAAAA`, headers: app.auth })).statusCode,
        url,
      ).toBe(422);
      expect(
        (await app.server.inject({ url: `${url}?cursor=%25%25`, headers: app.auth })).statusCode,
        url,
      ).toBe(400);
    }
  });
});
