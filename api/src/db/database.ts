import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Plan this statement for each call's values instead of preparing it: for SQL whose best plan depends on
   * the values, e.g. a full-text match, where a generic plan would run to_tsquery once per row.
   */
  planPerCall?: boolean;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Wakes `channel`'s listeners once what was written through this Queryable has committed: at the
   * transaction's commit (nothing if it rolls back), or at once on the database itself, whose statements each
   * commit as they end; call it after the write. See `CommitSignals` for who is woken and how.
   */
  notifyAfterCommit(channel: string): void;
}

/** The storage the API runs on: pooled PostgreSQL or embedded PGlite, same SQL for both. */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

type Listener = (payload: string) => void;

/**
 * A database's listeners in this process, by channel, and the wake-up of a committed write (an after-commit
 * hook). Listeners in this process are called directly; when a channel has none here (a process without a
 * relay: another tool, a benchmark's writer), one `NOTIFY` is sent after the commit, on its own and coalesced
 * over `windowMs`, for the listeners of other processes. Never inside the write's transaction: PostgreSQL
 * holds one database-wide lock from a notifying transaction's pre-commit to its end, so a NOTIFY in every
 * write made all writes commit one at a time (docs/events.md, "Waking the relay").
 */
export class CommitSignals {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly scheduled = new Map<string, Promise<void>>();

  constructor(
    /** Sends one NOTIFY outside any transaction; absent where every listener is in this process (PGlite). */
    private readonly notify?: (channel: string) => Promise<unknown>,
    private readonly windowMs = 1,
  ) {}

  /** Adds a listener; returns whether it is the channel's first (the caller then LISTENs). */
  add(channel: string, listener: Listener): boolean {
    let set = this.listeners.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return first;
  }

  remove(channel: string, listener: Listener): void {
    this.listeners.get(channel)?.delete(listener);
  }

  /** The channels that have had a listener here: the ones a new listening connection LISTENs to. */
  channels(): string[] {
    return [...this.listeners.keys()];
  }

  /**
   * Wakes every listener with an empty payload ("something may have happened"): after the listening
   * connection was lost, NOTIFYs sent meanwhile are gone, so each listener looks for itself.
   */
  wakeAll(): void {
    for (const channel of this.listeners.keys()) this.deliver(channel, '');
  }

  /**
   * Hands a payload to the channel's listeners here (a NOTIFY heard, or a local wake-up). A listener that
   * throws is its own problem: after a commit, the write has happened and must not be reported as failed.
   */
  deliver(channel: string, payload: string): void {
    for (const fn of this.listeners.get(channel) ?? []) {
      try {
        fn(payload);
      } catch {
        // Ignored, as above.
      }
    }
  }

  /** A write that asked to wake these channels has committed. */
  committed(channels: Iterable<string>): void {
    for (const channel of channels) {
      if (this.listeners.get(channel)?.size) this.deliver(channel, '');
      else this.notifySoon(channel);
    }
  }

  /** One NOTIFY covers every commit before it is sent: a request made while one waits joins it. */
  private notifySoon(channel: string): void {
    const notify = this.notify;
    if (!notify || this.scheduled.has(channel)) return;
    const sent = new Promise<void>((resolve) => setTimeout(resolve, this.windowMs)).then(async () => {
      this.scheduled.delete(channel);
      await notify(channel).catch(() => undefined);
    });
    this.scheduled.set(channel, sent);
  }

  /** Waits for the NOTIFYs still to be sent (before the pool closes). */
  async flush(): Promise<void> {
    await Promise.all(this.scheduled.values());
  }
}

// Timestamps stay Date objects; bigint counts come back as numbers (they are far below 2^53 here).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Names for parameterised statements, so each pooled connection parses and plans a statement once and
 * then only binds and executes it (a create's CTE costs PostgreSQL ~150 µs less per call; see
 * docs/benchmarks.md). Our SQL is built from fixed pieces, so the set of texts is small; past `limit`
 * new texts simply run unnamed, so a runaway caller cannot grow every connection's plan cache.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly limit = 1000) {}

  /** The pg query config for `sql`: named when prepared statements are on and there is room. */
  config(sql: string, params: readonly unknown[] | undefined): pg.QueryConfig {
    const values = params as unknown[] | undefined;
    if (!values) return { text: sql };
    let name = this.names.get(sql);
    if (!name && this.names.size < this.limit) {
      name = `todo_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name ? { name, text: sql, values } : { text: sql, values };
  }
}

export interface PostgresOptions {
  poolSize: number;
  /** Named (prepared) statements; turn off behind a pooler that cannot keep them (PgBouncer < 1.21). */
  prepare?: boolean;
  /** First and longest wait between attempts to reconnect the listening connection (defaults 100 ms, 5 s). */
  relisten?: { firstMs: number; maxMs: number };
  /** Told when the listening connection is lost, a reconnect fails, and when it is listening again (for logs). */
  onListener?: (event: ListenerEvent) => void;
  /**
   * How long a query waits for a connection, opening one or for a pooled one to be free, before it fails as
   * transient (a 503 to a request, a retry to an event); default `DEFAULT_CONNECT_TIMEOUT_MS`. Without it a
   * database that does not answer at connect (a network partition) held every request for good.
   */
  connectTimeoutMs?: number;
}

/** What `connectTimeoutMs` defaults to: far above a healthy connect or pool wait, short enough to answer a client. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export type ListenerEvent =
  | { state: 'lost'; error?: Error }
  | { state: 'retrying'; error: Error; inMs: number }
  | { state: 'restored' };

/** The listening connection's `application_name`, so operators (and tests) can tell it apart. */
export const LISTEN_APPLICATION_NAME = 'todo-api-listen';

/** A channel name as a quoted identifier for LISTEN. */
function listenIdentifier(channel: string): string {
  return `"${channel.replace(/"/g, '')}"`;
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  /** The one connection that LISTENs, once a listener asked for it; replaced when it is lost. */
  private listening: Promise<pg.Client> | undefined;
  private relistenTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly relisten: { firstMs: number; maxMs: number };
  private readonly onListener: (event: ListenerEvent) => void;
  private readonly signals = new CommitSignals((channel) =>
    this.pool.query('SELECT pg_notify($1, $2)', [channel, '']),
  );
  private readonly statements: StatementNames | undefined;
  private readonly connectTimeoutMs: number;

  constructor(
    private readonly url: string,
    {
      poolSize,
      prepare = true,
      relisten = { firstMs: 100, maxMs: 5_000 },
      onListener = () => undefined,
      connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
    }: PostgresOptions,
  ) {
    this.relisten = relisten;
    this.onListener = onListener;
    this.connectTimeoutMs = connectTimeoutMs;
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: connectTimeoutMs,
    });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.statements = prepare ? new StatementNames() : undefined;
  }

  private config(
    sql: string,
    params: readonly unknown[] | undefined,
    options?: QueryOptions,
  ): pg.QueryConfig {
    const prepared = options?.planPerCall ? undefined : this.statements?.config(sql, params);
    return prepared ?? { text: sql, values: params as unknown[] | undefined };
  }

  async query<R>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    const r = await this.pool.query(this.config(sql, params, options));
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  notifyAfterCommit(channel: string): void {
    this.signals.committed([channel]);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const wake = new Set<string>();
    // The pool listens for errors on idle clients only: a connection reset while this one is checked out
    // (the database going away mid-transaction) would be an unhandled 'error' event and end the process. The
    // query in flight fails with it anyway; the broken client is then destroyed rather than pooled again.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
          const r = await client.query(this.config(sql, params, options));
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        exec: async (sql: string) => {
          await client.query(sql);
        },
        notifyAfterCommit: (channel: string) => {
          wake.add(channel);
        },
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      this.signals.committed(wake);
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (this.signals.add(channel, onNotify)) {
      try {
        // A connection opened just now LISTENs to every channel, this one included; LISTEN twice is harmless.
        const client = await this.listenConnection();
        await client.query(`LISTEN ${listenIdentifier(channel)}`);
      } catch (err) {
        this.signals.remove(channel, onNotify);
        throw err;
      }
    }
    return async () => {
      this.signals.remove(channel, onNotify);
    };
  }

  /**
   * The listening connection, opened on first use. If it is lost (the database restarted, failed over, or
   * ended it), a new one is opened with backoff and LISTENs again, and every listener is woken once, since
   * NOTIFYs sent while nobody listened are gone: without this, wake-ups from other replicas (live updates,
   * the relay, reminders) would stop until the process restarted.
   */
  private listenConnection(): Promise<pg.Client> {
    this.listening ??= this.openListener().catch((err) => {
      this.listening = undefined;
      throw err;
    });
    return this.listening;
  }

  private async openListener(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: LISTEN_APPLICATION_NAME,
      connectionTimeoutMillis: this.connectTimeoutMs,
      // A peer that vanished without closing (a network partition) is noticed, not listened to forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (msg) => this.signals.deliver(msg.channel, msg.payload ?? ''));
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.listenerLost(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      for (const channel of this.signals.channels())
        await client.query(`LISTEN ${listenIdentifier(channel)}`);
    } catch (err) {
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  private listenerLost(client: pg.Client, error?: Error): void {
    void client.end().catch(() => undefined);
    this.listening = undefined;
    if (this.closed) return;
    this.onListener(error ? { state: 'lost', error } : { state: 'lost' });
    this.scheduleRelisten(this.relisten.firstMs);
  }

  private scheduleRelisten(delayMs: number): void {
    this.relistenTimer = setTimeout(() => {
      this.relistenTimer = undefined;
      if (this.closed) return;
      this.listenConnection().then(
        () => {
          this.onListener({ state: 'restored' });
          this.signals.wakeAll();
        },
        (error: Error) => {
          if (this.closed || this.listening) return;
          const inMs = Math.min(delayMs * 2, this.relisten.maxMs);
          this.onListener({ state: 'retrying', error, inMs });
          this.scheduleRelisten(inMs);
        },
      );
    }, delayMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.relistenTimer);
    await this.signals.flush();
    const listening = this.listening;
    this.listening = undefined;
    await listening?.then((client) => client.end()).catch(() => undefined);
    await this.pool.end();
  }
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  /** Every listener of an embedded database is in this process: a wake-up never needs a NOTIFY. */
  private readonly signals = new CommitSignals();

  private constructor(private readonly db: PGlite) {}

  /** Opens (creating if needed) an embedded database in `dataDir`, or in memory for `memory://`. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
    // btree_gin: the search index carries the user beside the words (migration 007).
    const db = await PGlite.create({
      ...(dataDir === 'memory://' ? {} : { dataDir }),
      extensions: { btree_gin },
    });
    return new PgliteDatabase(db);
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const r = await this.db.query<R>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  notifyAfterCommit(channel: string): void {
    this.signals.committed([channel]);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const wake = new Set<string>();
    const result = await this.db.transaction(async (t) =>
      fn({
        query: async <R>(sql: string, params?: readonly unknown[]) => {
          const r = await t.query<R>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
        exec: async (sql: string) => {
          await t.exec(sql);
        },
        notifyAfterCommit: (channel: string) => {
          wake.add(channel);
        },
      }),
    );
    this.signals.committed(wake);
    return result;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, onNotify);
    this.signals.add(channel, onNotify);
    return async () => {
      this.signals.remove(channel, onNotify);
      await unlisten();
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Opens PostgreSQL when a URL is given, else the embedded database in `dataDir`. */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize: number;
  prepare?: boolean;
  onListener?: (event: ListenerEvent) => void;
}): Promise<Database> {
  return opts.url
    ? new PostgresDatabase(opts.url, {
        poolSize: opts.poolSize,
        prepare: opts.prepare,
        ...(opts.onListener ? { onListener: opts.onListener } : {}),
      })
    : PgliteDatabase.open(opts.dataDir);
}
