import { describe, expect, it } from 'vitest';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('calendar feed URLs on %s', (storage) => {
  const t = useTestApp(storage, { user: false });

  /** A user with one dated task of the given title. */
  const userWithTask = async (title: string) => {
    const u = await t.user();
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: u.auth,
      payload: { title, dueAt: '2031-05-04T09:00:00Z' },
    });
    expect(res.statusCode).toBe(201);
    return u;
  };
  const feedUrlOf = async (auth: { authorization: string }, rotate = false) => {
    const res = await t.server.inject({
      method: rotate ? 'POST' : 'GET',
      url: rotate ? '/api/v1/calendar/feed-url/rotate' : '/api/v1/calendar/feed-url',
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control'], 'a credential is never cached').toBe('no-store');
    return new URL(res.json().url as string);
  };
  /** Fetches a feed URL as a calendar app does: no Authorization, no cookies. */
  const subscribe = (url: URL) => t.server.inject({ url: `${url.pathname}${url.search}` });
  const secretOf = (url: URL) =>
    url.pathname
      .split('/')
      .pop()!
      .replace(/\.ics$/, '');

  it('gives each user one stable feed URL that serves their calendar without a bearer token', async () => {
    const { auth } = await userWithTask('Water the plants');
    const url = await feedUrlOf(auth);
    expect(url.pathname).toMatch(/^\/api\/v1\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await feedUrlOf(auth)).href).toBe(url.href);
    const feed = await subscribe(url);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.body).toContain('BEGIN:VCALENDAR');
    expect(feed.body).toContain('SUMMARY:Water the plants');
  });

  it('needs a bearer token to see or rotate the URL', async () => {
    expect((await t.server.inject({ url: '/api/v1/calendar/feed-url' })).statusCode).toBe(401);
    const rotate = await t.server.inject({ method: 'POST', url: '/api/v1/calendar/feed-url/rotate' });
    expect(rotate.statusCode).toBe(401);
  });

  it('revokes the old URL when rotating: it answers 404, the new one works', async () => {
    const { auth } = await userWithTask('Pay rent');
    const old = await feedUrlOf(auth);
    const rotated = await feedUrlOf(auth, true);
    expect(rotated.href).not.toBe(old.href);
    const gone = await subscribe(old);
    expect(gone.statusCode).toBe(404);
    expect(problemOf(gone).title).toBe('Not Found');
    expect((await subscribe(rotated)).body).toContain('SUMMARY:Pay rent');
    expect((await feedUrlOf(auth)).href).toBe(rotated.href);
    expect((await subscribe(await feedUrlOf(auth, true))).statusCode).toBe(200);
    expect((await subscribe(rotated)).statusCode).toBe(404);
  });

  it('opens nothing but the feed: the secret is no bearer token anywhere else', async () => {
    const { auth } = await userWithTask('Secret plans');
    const secret = secretOf(await feedUrlOf(auth));
    const asBearer = { authorization: `Bearer ${secret}` };
    for (const [method, url] of [
      ['GET', '/api/v1/tasks'],
      ['GET', '/api/v1/calendar/feed-url'],
      ['POST', '/api/v1/calendar/feed-url/rotate'],
      ['GET', '/api/v1/calendar.ics'],
      ['GET', '/api/v1/notifications'],
    ] as const) {
      expect((await t.server.inject({ method, url, headers: asBearer })).statusCode, `${method} ${url}`).toBe(
        401,
      );
    }
    for (const url of [
      `/api/v1/calendar.ics?access_token=${secret}`,
      `/api/v1/stream?access_token=${secret}`,
    ]) {
      expect((await t.server.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it("never serves another user's calendar, and an unknown or malformed secret is 404", async () => {
    const alice = await userWithTask('Alice only');
    const bob = await userWithTask('Bob only');
    const aliceUrl = await feedUrlOf(alice.auth);
    const bobUrl = await feedUrlOf(bob.auth);
    expect(bobUrl.href).not.toBe(aliceUrl.href);
    const aliceFeed = (await subscribe(aliceUrl)).body;
    const bobFeed = (await subscribe(bobUrl)).body;
    expect(aliceFeed).toContain('Alice only');
    expect(aliceFeed).not.toContain('Bob only');
    expect(bobFeed).toContain('Bob only');
    expect(bobFeed).not.toContain('Alice only');
    for (const feed of [`${'A'.repeat(43)}.ics`, 'short.ics', `${secretOf(aliceUrl).slice(0, 42)}B.ics`]) {
      const res = await t.server.inject({ url: `/api/v1/calendar/feeds/${feed}` });
      expect(res.statusCode, feed).toBe(404);
      expect(problemOf(res).status).toBe(404);
    }
  });

  it('stores only a hash of the secret', async () => {
    const { auth, id } = await userWithTask('Hashed');
    const secret = secretOf(await feedUrlOf(auth));
    const { rows } = await t.db.query('SELECT * FROM calendar_feeds WHERE user_id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
  });

  it('builds the URL for the origin the caller reached, behind a proxy too', async () => {
    const { auth } = await t.user();
    const res = await t.server.inject({
      url: '/api/v1/calendar/feed-url',
      headers: { ...auth, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'todo.example.com' },
    });
    expect(res.json().url).toMatch(/^https:\/\/todo\.example\.com\/api\/v1\/calendar\/feeds\//);
  });
});
