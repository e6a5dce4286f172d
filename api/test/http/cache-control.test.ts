/**
 * What `/api/v1` answers tell caches (RFC 9111). Each is one user's: one with a validator (a task's ETag) may be
 * kept by a browser, never by a shared cache, and is revalidated before reuse; one without a validator is not
 * stored at all. Without a directive any cache could reuse them for a heuristic lifetime without asking (what
 * REDbot found).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { useTestApp } from '../support/test-app.js';

const app = useTestApp('pglite');

describe('Cache-Control of /api/v1 answers', () => {
  it('is private and revalidated for a task (its ETag then answers 304), and no-store for lists', async () => {
    const created = await app.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: app.auth,
      payload: { title: 'Pay rent' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBeDefined();
    expect(created.headers['cache-control']).toBe('private, no-cache');
    const id = created.json().id as string;
    const one = await app.server.inject({ url: `/api/v1/tasks/${id}`, headers: app.auth });
    expect(one.headers['cache-control']).toBe('private, no-cache');
    for (const url of ['/api/v1/tasks', '/api/v1/projects', '/api/v1/tags', '/api/v1/activity']) {
      const res = await app.server.inject({ url, headers: app.auth });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers.etag, url).toBeUndefined();
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const revalidated = await app.server.inject({
      url: `/api/v1/tasks/${id}`,
      headers: { ...app.auth, 'if-none-match': one.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers['cache-control']).toBe('private, no-cache');
  });

  it('is no-store on errors: without a token (401), another user’s task (404), bad input (400)', async () => {
    const unauthenticated = await app.server.inject({ url: '/api/v1/tasks' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['cache-control']).toBe('no-store');
    const other = await app.user();
    const theirs = await createTask(app, other.auth, { title: 'Theirs' });
    const missing = await app.server.inject({ url: `/api/v1/tasks/${theirs.id}`, headers: app.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const unknown = await app.server.inject({ url: `/api/v1/tasks/${randomUUID()}`, headers: app.auth });
    expect(unknown.headers['cache-control']).toBe('no-store');
    const bad = await app.server.inject({ url: '/api/v1/tasks?limit=0', headers: app.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['cache-control']).toBe('no-store');
  });

  it('is what a route says where it says one: credentials and the feed URL’s secret', async () => {
    const email = `cache-${randomUUID()}@example.com`;
    const signup = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: 'correct horse battery' },
    });
    expect(signup.headers['cache-control']).toBe('no-store');
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    expect(login.headers['cache-control']).toBe('no-store');
    const feedUrl = await app.server.inject({ url: '/api/v1/calendar/feed-url', headers: app.auth });
    expect(feedUrl.statusCode).toBe(200);
    expect(feedUrl.headers['cache-control']).toBe('no-store');
  });
});
