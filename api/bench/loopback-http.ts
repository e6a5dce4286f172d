/**
 * A lean HTTP/1.1 keep-alive client for load generation on loopback: one request per socket at a time, up
 * to `maxSockets` sockets, the rest queued in order. It exists because the generator shares two cores with
 * the API and PostgreSQL: every microsecond it spends is taken from them (`node:http` costs several times
 * more per request). Responses must carry Content-Length, which fastify sends for every body the API writes.
 */
import { connect, type Socket } from 'node:net';

export interface HttpResponse {
  status: number;
  /** The body as text, only when asked for; otherwise empty. */
  body: string;
}

interface Pending {
  head: Buffer;
  wantBody: boolean;
  resolve: (r: HttpResponse) => void;
  reject: (err: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: sends a request, parses its response, then takes the next. */
class Connection {
  private current: Pending | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private bodyStart = -1;
  private bodyLength = 0;
  private closeAfter = false;
  private closed = false;
  readonly socket: Socket;

  constructor(
    host: string,
    port: number,
    private readonly done: (conn: Connection, closed: boolean) => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk) => this.receive(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  send(p: Pending): void {
    this.current = p;
    this.socket.write(p.head);
  }

  private receive(chunk: Buffer): void {
    if (!this.current) {
      this.fail(new Error('response without a request'));
      return;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (this.bodyStart < 0) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.buffer.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) {
        this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
        return;
      }
      this.bodyLength = Number(length[1]);
      this.closeAfter = /\r\nconnection:\s*close/i.test(head);
      this.bodyStart = end + HEADER_END.length;
    }
    if (this.buffer.length < this.bodyStart + this.bodyLength) return;
    const p = this.current!;
    const body = p.wantBody
      ? this.buffer.toString('utf8', this.bodyStart, this.bodyStart + this.bodyLength)
      : '';
    this.buffer = Buffer.alloc(0);
    this.bodyStart = -1;
    this.current = undefined;
    if (this.closeAfter) {
      this.closed = true;
      this.socket.destroy();
    }
    this.done(this, this.closeAfter);
    p.resolve({ status: this.status, body });
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    const p = this.current;
    this.current = undefined;
    if (!this.socket.destroyed) this.socket.destroy();
    if (p) p.reject(err);
    this.done(this, true);
  }
}

/** A pool of keep-alive connections to one loopback server. */
export class LoopbackHttpPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private queueHead = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxSockets: number,
  ) {}

  /** Sends a request; resolves with the status (and the body if `wantBody`), whatever the status. */
  request(
    method: string,
    path: string,
    headers: string,
    body?: string,
    wantBody = false,
  ): Promise<HttpResponse> {
    const bodyHeaders =
      body === undefined
        ? ''
        : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    const head = Buffer.from(
      `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n${headers}${bodyHeaders}\r\n${body ?? ''}`,
    );
    return new Promise((resolve, reject) => {
      const p: Pending = { head, wantBody, resolve, reject };
      const conn = this.idle.pop() ?? (this.all.size < this.maxSockets ? this.open() : undefined);
      if (conn) conn.send(p);
      else this.queue.push(p);
    });
  }

  /** Requests waiting for a free socket. */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  close(): void {
    for (const conn of this.all) conn.socket.destroy();
  }

  private open(): Connection {
    const conn = new Connection(this.host, this.port, (c, closed) => this.release(c, closed));
    this.all.add(conn);
    return conn;
  }

  private release(conn: Connection, closed: boolean): void {
    if (closed) {
      this.all.delete(conn);
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
    }
    const next = this.queueHead < this.queue.length ? this.queue[this.queueHead++] : undefined;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (!next) {
      if (!closed) this.idle.push(conn);
      return;
    }
    (closed ? this.open() : conn).send(next);
  }
}
