import { randomBytes } from 'node:crypto';
import { type Config, loadConfig, type Problem } from '@todo/contract';
import { createDatabase } from '@todo/infra';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import {
  type Database,
  PgliteDatabase,
  PostgresDatabase,
  type Queryable,
  type QueryOptions,
} from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import type { EventSystem } from '../../src/events/event-system.js';
import type { OAuthService } from '../../src/oauth/oauth.service.js';
import type { Clock } from '../../src/reminders/reminder-schedule.js';

export const STORAGES = ['postgres', 'pglite'] as const;
export type Storage = (typeof STORAGES)[number];

/** Opens a fresh, migrated database of the given kind: its own database on the real server, or in-memory PGlite. */
export async function openTestDatabase(storage: Storage): Promise<Database> {
  const db =
    storage === 'postgres'
      ? new PostgresDatabase(
          await createDatabase(inject('postgresUrl'), `t_${randomBytes(6).toString('hex')}`),
          { poolSize: 10 },
        )
      : await PgliteDatabase.open('memory://');
  await migrate(db);
  return db;
}

/**
 * Opens a fresh database (as `openTestDatabase`) before the enclosing block's tests and closes it after them;
 * the value returned stands for it inside hooks and tests.
 */
export function useTestDatabase(storage: Storage): Database {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(storage);
  });
  afterAll(() => db?.close());
  const opened = (): Database => {
    if (!db) throw new Error('useTestDatabase: the database opens in beforeAll; use it in hooks and tests');
    return db;
  };
  return {
    kind: storage,
    query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) =>
      opened().query<R>(sql, params, options),
    exec: (sql) => opened().exec(sql),
    notifyAfterCommit: (channel) => opened().notifyAfterCommit(channel),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => opened().transaction(fn),
    listen: (channel, onNotify) => opened().listen(channel, onNotify),
    close: () => opened().close(),
  };
}

type Auth = { authorization: string };

export interface TestApp {
  server: FastifyInstance;
  events: EventSystem;
  /** The OAuth authorization server, for checking what `/mcp` would accept. */
  oauth: OAuthService;
  db: Database;
  config: Config;
  /** Signs up a fresh user and returns its bearer header. */
  user(email?: string): Promise<{ id: string; auth: Auth }>;
  close(): Promise<void>;
}

export async function createTestApp(
  storage: Storage,
  env: Record<string, string> = {},
  options: { now?: Clock } = {},
): Promise<TestApp> {
  const db = await openTestDatabase(storage);
  const config = loadConfig({ CONSOLE_DIR: '/nonexistent', ...env });
  const { server, events, oauth } = await buildApp({ config, db, now: options.now });
  await server.ready();
  await events.start();
  let n = 0;
  return {
    server,
    events,
    oauth,
    db,
    config,
    async user(email = `user${++n}-${randomBytes(3).toString('hex')}@example.com`) {
      const res = await server.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email, password: 'correct horse battery' },
      });
      if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
      const body = res.json() as { token: string; user: { id: string } };
      return { id: body.user.id, auth: { authorization: `Bearer ${body.token}` } };
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

/** The app of a describe block, with the user signed up with it; its fields are there inside hooks and tests. */
export interface SharedTestApp extends Omit<TestApp, 'close'> {
  /** The bearer header of the user signed up before the block's tests (unless `user: false`). */
  readonly auth: Auth;
  readonly userId: string;
}

/**
 * Builds a fresh app (and signs up one user) before the enclosing block's tests and closes it after them,
 * so that a test file states only what it tests.
 */
export function useTestApp(
  storage: Storage,
  options: { env?: Record<string, string>; user?: boolean; now?: Clock } = {},
): SharedTestApp {
  let app: TestApp | undefined;
  let owner: { id: string; auth: Auth } | undefined;
  beforeAll(async () => {
    app = await createTestApp(storage, options.env, { now: options.now });
    if (options.user !== false) owner = await app.user();
  });
  afterAll(() => app?.close());
  const built = (): TestApp => {
    if (!app) throw new Error('useTestApp: the app is built in beforeAll; use it inside hooks and tests');
    return app;
  };
  const signedUp = () => {
    if (!owner) throw new Error('useTestApp: no user was signed up (user: false, or beforeAll failed)');
    return owner;
  };
  return {
    get server() {
      return built().server;
    },
    get events() {
      return built().events;
    },
    get oauth() {
      return built().oauth;
    },
    get db() {
      return built().db;
    },
    get config() {
      return built().config;
    },
    user: (email) => built().user(email),
    get auth() {
      return signedUp().auth;
    },
    get userId() {
      return signedUp().id;
    },
  };
}

/** The parsed problem+json body, after checking that it is one. */
export function problemOf(res: LightMyRequestResponse): Problem {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.headers['content-type']}: ${res.body.slice(0, 200)}`);
  }
  return res.json();
}
