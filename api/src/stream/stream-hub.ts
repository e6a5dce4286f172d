import type { ServerResponse } from 'node:http';
import type { Database } from '../db/database.js';
import { STREAM_CHANNEL } from './stream.consumer.js';
import { streamRepository } from './stream.repository.js';

/** Rows read per round trip while a connection catches up. */
const PAGE = 500;

interface Connection {
  userId: string;
  res: ServerResponse;
  lastSeq: number;
  sending: boolean;
  again: boolean;
}

/** Fans live updates out to this replica's SSE connections, woken by NOTIFY from any replica. */
export class StreamHub {
  private readonly byUser = new Map<string, Set<Connection>>();
  private unlisten: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly heartbeatMs = 15_000,
  ) {}

  async start(): Promise<void> {
    // The payload is the user whose stream grew; an empty one (the listening connection was lost and is
    // back) may mean anyone's did, so every connection looks.
    this.unlisten = await this.db.listen(STREAM_CHANNEL, (userId) => {
      const woken = userId ? [this.byUser.get(userId) ?? []] : this.byUser.values();
      for (const set of woken) for (const c of set) void this.flush(c);
    });
    this.heartbeat = setInterval(() => {
      for (const set of this.byUser.values()) for (const c of set) c.res.write(': heartbeat\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The newest sequence number of a user's stream: where a fresh connection starts. */
  head(userId: string): Promise<number> {
    return streamRepository.head(this.db, userId);
  }

  /** Registers an open SSE response; replays anything after `lastSeq` at once. */
  add(userId: string, res: ServerResponse, lastSeq: number): void {
    const c: Connection = { userId, res, lastSeq, sending: false, again: false };
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(c);
    res.on('close', () => {
      set.delete(c);
      if (set.size === 0) this.byUser.delete(userId);
    });
    void this.flush(c);
  }

  get connections(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Sends every row after the connection's last one; one flush at a time per connection keeps order. */
  private async flush(c: Connection): Promise<void> {
    if (c.sending) {
      c.again = true;
      return;
    }
    c.sending = true;
    try {
      do {
        c.again = false;
        const rows = await streamRepository.after(this.db, c.userId, c.lastSeq, PAGE);
        for (const row of rows) {
          c.res.write(`id: ${row.seq}\nevent: ${row.type}\ndata: ${JSON.stringify(row.data)}\n\n`);
          c.lastSeq = Number(row.seq);
        }
        if (rows.length === PAGE) c.again = true;
      } while (c.again && !c.res.destroyed);
    } catch {
      // The database hiccupped; the next NOTIFY or the client's reconnect with Last-Event-ID catches up.
    } finally {
      c.sending = false;
    }
  }

  /** Ends every stream and stops listening; the server's preClose and the backbone's stop both call it. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
    for (const set of this.byUser.values()) for (const c of set) c.res.end();
    this.byUser.clear();
  }
}
