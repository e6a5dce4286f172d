import { randomBytes } from 'node:crypto';
import { createDatabase } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LISTEN_APPLICATION_NAME, type ListenerEvent, PostgresDatabase } from '../../src/db/database.js';

/** Resolves with the next payload `channel` delivers into `heard`, or rejects after `ms`. */
function nextPayload(heard: string[][], channel: number, ms: number): Promise<string> {
  const seen = heard[channel]!.length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      if (heard[channel]!.length > seen) resolve(heard[channel]![seen]!);
      else if (Date.now() - started > ms)
        reject(new Error(`nothing heard on channel ${channel} within ${ms} ms`));
      else setImmediate(look);
    };
    look();
  });
}

describe('the listening connection, when the database ends it', () => {
  let db: PostgresDatabase;
  let other: PostgresDatabase;
  let dbName: string;
  const events: ListenerEvent[] = [];
  const waiters: { match: (e: ListenerEvent) => boolean; resolve: (e: ListenerEvent) => void }[] = [];
  const waitForEvent = (match: (e: ListenerEvent) => boolean) =>
    new Promise<ListenerEvent>((resolve) => waiters.push({ match, resolve }));
  const heard: string[][] = [[], []];
  const channels = ['todo_test_a', 'todo_test_b'];

  beforeAll(async () => {
    dbName = `l_${randomBytes(5).toString('hex')}`;
    const url = await createDatabase(inject('postgresUrl'), dbName);
    db = new PostgresDatabase(url, {
      poolSize: 2,
      relisten: { firstMs: 20, maxMs: 200 },
      onListener: (e) => {
        events.push(e);
        for (const w of waiters.splice(0)) {
          if (w.match(e)) w.resolve(e);
          else waiters.push(w);
        }
      },
    });
    // Another process's view: its NOTIFYs are what this one's listeners must keep hearing.
    other = new PostgresDatabase(url, { poolSize: 2 });
    for (const [i, channel] of channels.entries()) await db.listen(channel, (p) => heard[i]!.push(p));
  });
  afterAll(async () => {
    await db?.close();
    await other?.close();
  });

  const listeningPids = async () =>
    (
      await other.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTEN_APPLICATION_NAME],
      )
    ).rows.map((r) => r.pid);

  it("hears another process's NOTIFY on every channel", async () => {
    const a = nextPayload(heard, 0, 5_000);
    await other.query('SELECT pg_notify($1, $2)', [channels[0], 'first']);
    expect(await a).toBe('first');
  });

  it('reconnects, LISTENs again to every channel, wakes each listener once, and hears NOTIFYs again', async () => {
    const [pid] = await listeningPids();
    expect(pid).toBeDefined();
    const wokenA = nextPayload(heard, 0, 10_000);
    const wokenB = nextPayload(heard, 1, 10_000);
    await other.query('SELECT pg_terminate_backend($1)', [pid]);
    // The wake-up after reconnecting: anything sent while nobody listened is looked for.
    expect(await wokenA).toBe('');
    expect(await wokenB).toBe('');
    expect(events.map((e) => e.state)).toEqual(['lost', 'restored']);
    const pids = await listeningPids();
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(pid);
    for (const [i, channel] of channels.entries()) {
      const next = nextPayload(heard, i, 5_000);
      await other.query('SELECT pg_notify($1, $2)', [channel, `after-${i}`]);
      expect(await next).toBe(`after-${i}`);
    }
  });

  it('keeps trying while connections are refused, and listens again once they are allowed', async () => {
    const [pid] = await listeningPids();
    // New connections to this database are refused (as during a restart); the live one is ended.
    const admin = new PostgresDatabase(inject('postgresUrl'), { poolSize: 1 });
    await admin.exec(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    let refused: ListenerEvent | undefined;
    try {
      const retrying = waitForEvent((e) => e.state === 'retrying');
      await other.query('SELECT pg_terminate_backend($1)', [pid]);
      refused = await retrying;
    } finally {
      await admin.exec(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
      await admin.close();
    }
    expect(refused).toMatchObject({
      state: 'retrying',
      error: { message: expect.stringMatching(/not currently accepting connections/) },
    });
    const woken = nextPayload(heard, 0, 10_000);
    expect(await woken).toBe('');
    expect(events.at(-1)).toEqual({ state: 'restored' });
    const next = nextPayload(heard, 0, 5_000);
    await other.query('SELECT pg_notify($1, $2)', [channels[0], 'back']);
    expect(await next).toBe('back');
  });
});
