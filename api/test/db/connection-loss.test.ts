import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/test-app.js';

describe('a transaction whose connection the database ends', () => {
  const db = useTestDatabase('postgres');

  it('fails with the error, without ending the process, and the pool goes on with new connections', async () => {
    const ended = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Ended from outside while this transaction holds the connection, as a database restart or failover does.
      await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await tx.query('SELECT 1');
    });
    // Which error the next statement meets depends on what node-pg read first: the server's FATAL
    // ("terminating connection due to administrator command", after which the client is "not queryable") or
    // the closed socket ("Connection terminated unexpectedly"). Each says the connection is gone.
    await expect(ended).rejects.toThrow(/terminat|connection error and is not queryable/i);
    const { rows } = await db.query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });
});
