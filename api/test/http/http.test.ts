import { describe, expect, it } from 'vitest';
import { createTestApp, problemOf, useTestApp } from '../support/test-app.js';

describe('HTTP surface', () => {
  const t = useTestApp('postgres', { user: false });

  it('answers unknown routes with a problem+json 404', async () => {
    const res = await t.server.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).title).toBe('Not Found');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await t.server.inject({ method: 'PUT', url: '/api/v1/tasks' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expect(res.headers.allow).toContain('POST');
    expect(problemOf(res).status).toBe(405);
  });

  it('reports health, readiness and Prometheus metrics with route labels', async () => {
    expect((await t.server.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.server.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    await t.server.inject({ url: '/api/v1/tasks' });
    const metrics = await t.server.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(
      /http_requests_total\{method="GET",route="\/api\/v1\/tasks",status_code="401"\} 1/,
    );
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('process_resident_memory_bytes');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await t.server.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.server.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3.1 document of every route, and a docs page', async () => {
    const res = await t.server.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/auth/signup',
      '/api/v1/auth/login',
      '/api/v1/tasks',
      '/api/v1/tasks/{id}',
      '/api/v1/tasks/{id}/complete',
      '/api/v1/tasks/{id}/reopen',
      '/api/v1/tags',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/api/v1/tasks/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(doc.components.schemas.Task.properties.priority.enum).toEqual([
      'none',
      'low',
      'medium',
      'high',
      'urgent',
    ]);
    const docs = await t.server.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('when the database is gone', () => {
  it('answers readiness 503 and requests a 500 without leaking internals', async () => {
    const t = await createTestApp('postgres');
    const { auth } = await t.user();
    await t.db.close();
    const ready = await t.server.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const res = await t.server.inject({ url: '/api/v1/tasks', headers: auth });
    expect(res.statusCode).toBe(500);
    const problem = problemOf(res);
    expect(problem.detail).toBe('Something went wrong on our side.');
    expect(res.body).not.toMatch(/pool|pg|stack|\.js/i);
    await t.server.close();
  });
});
