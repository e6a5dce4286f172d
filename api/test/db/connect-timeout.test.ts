import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createDatabase } from '@todo/infra';
import { deferred } from '@todo/infra/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresDatabase } from '../../src/db/database.js';
import { failureKind, isContention } from '../../src/events/failure-kind.js';

const notBadData = () => false;

/** What a query failed with; fails the test if it succeeded. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the query to fail');
}

describe('a database that does not answer at connect', () => {
  // Accepts TCP connections and never says a word: a database behind a network partition, or a hung server.
  let silent: Server;
  const sockets: Socket[] = [];
  let port: number;
  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails a query after the connect timeout, as a failure of the database being unavailable', async () => {
    const db = new PostgresDatabase(`postgres://todo:secret@127.0.0.1:${port}/todo`, {
      poolSize: 1,
      connectTimeoutMs: 300,
    });
    try {
      const err = await failureOf(db.query('SELECT 1'));
      expect(err.message).toMatch(/timeout/i);
      expect(failureKind(err, notBadData)).toBe('transient');
      expect(isContention(err)).toBe(false);
      const inTransaction = await failureOf(db.transaction((tx) => tx.query('SELECT 1')));
      expect(failureKind(inTransaction, notBadData)).toBe('transient');
    } finally {
      await db.close();
    }
  }, 10_000);
});

describe('a pool whose connections are all taken', () => {
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(inject('postgresUrl'), `c_${randomBytes(5).toString('hex')}`);
  });

  it('fails a query that waited past the connect timeout for a free connection, as transient', async () => {
    const db = new PostgresDatabase(url, { poolSize: 1, connectTimeoutMs: 300 });
    const held = deferred();
    const taken = deferred();
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      taken.resolve();
      await held.promise;
    });
    try {
      await taken.promise;
      const err = await failureOf(db.query('SELECT 1'));
      expect(err.message).toMatch(/timeout exceeded when trying to connect/);
      expect(failureKind(err, notBadData)).toBe('transient');
      expect(isContention(err)).toBe(false);
    } finally {
      held.resolve();
      await holder;
    }
    // Once the connection is free again, queries go through.
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.close();
  }, 10_000);
});
