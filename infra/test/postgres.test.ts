import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabase, startPostgres } from '../src/index.js';

describe('startPostgres', () => {
  it('starts a real server on loopback that accepts queries, and removes it on stop', async () => {
    const server = await startPostgres();
    try {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const dbUrl = await createDatabase(server.url, 'harness_check');
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('SELECT current_database() AS v');
      await client.end();
      expect(rows[0]?.v).toBe('harness_check');
    } finally {
      await server.stop();
    }
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
