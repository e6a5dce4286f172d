import { randomBytes } from 'node:crypto';
import { createDatabase } from '@todo/infra';
import { describe, expect, inject, it } from 'vitest';
import { PostgresDatabase, StatementNames } from '../../src/db/database.js';

describe('statement names', () => {
  it('gives one text one name, and leaves statements without parameters unnamed', () => {
    const names = new StatementNames();
    const a = names.config('SELECT $1::int', [1]);
    expect(a.name).toBeDefined();
    expect(names.config('SELECT $1::int', [2]).name).toBe(a.name);
    expect(names.config('SELECT $1::text', ['x']).name).not.toBe(a.name);
    expect(names.config('BEGIN', undefined).name).toBeUndefined();
  });

  it('stops naming new texts at its limit, so the plan caches stay bounded', () => {
    const names = new StatementNames(2);
    names.config('SELECT $1::int', [1]);
    names.config('SELECT $1::text', ['x']);
    expect(names.config('SELECT $1::bigint', [1])).toEqual({ text: 'SELECT $1::bigint', values: [1] });
    expect(names.config('SELECT $1::int', [1]).name).toBeDefined();
  });
});

describe.each([true, false])('PostgreSQL with prepared statements %s', (prepare) => {
  it('answers the same, and prepares a repeated statement on the connection only when asked to', async () => {
    const url = await createDatabase(inject('postgresUrl'), `p_${randomBytes(5).toString('hex')}`);
    const db = new PostgresDatabase(url, { poolSize: 1, prepare });
    try {
      for (const n of [1, 2, 3]) {
        const { rows } = await db.query<{ n: number }>('SELECT $1::int * 2 AS n', [n]);
        expect(rows).toEqual([{ n: n * 2 }]);
      }
      const inTx = await db.transaction((tx) => tx.query<{ n: number }>('SELECT $1::int * 2 AS n', [5]));
      expect(inTx.rows).toEqual([{ n: 10 }]);
      const { rows } = await db.query<{ statement: string }>(
        'SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1',
        ['%$1::int * 2%'],
      );
      expect(rows).toHaveLength(prepare ? 1 : 0);
      // Planned per call when asked: never prepared, whatever the setting.
      for (const n of [1, 2]) await db.query('SELECT $1::int * 3 AS n', [n], { planPerCall: true });
      const perCall = await db.query('SELECT 1 FROM pg_prepared_statements WHERE statement LIKE $1', [
        '%$1::int * 3%',
      ]);
      expect(perCall.rows).toHaveLength(0);
    } finally {
      await db.close();
    }
  });
});
