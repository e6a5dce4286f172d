/**
 * A small Kubernetes REST client over node:https with a keep-alive agent: JSON requests, server-side apply,
 * and line-delimited watch streams.
 */
import { Agent, request } from 'node:https';
import { KubeApiError, WatchIdleError } from './errors.js';
import type { ClusterAccess } from './kubeconfig.js';
import { type RateLimit, TokenBucket } from './rate-limit.js';

export const FIELD_MANAGER = 'todo-operator';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }[];
    deletionTimestamp?: string;
    finalizers?: string[];
  };
  [key: string]: unknown;
}

export interface ObjectList<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Counts requests by verb class; the benchmark asserts that a steady-state resync writes nothing. */
export interface RequestCounter {
  reads: number;
  writes: number;
}

export class KubeClient {
  readonly counter: RequestCounter = { reads: 0, writes: 0 };
  /** Called once per request with its class; the operator turns it into a metric. */
  onRequest: ((kind: 'read' | 'write') => void) | undefined;
  private readonly base: URL;

  private constructor(
    private readonly agent: Agent,
    private readonly access: ClusterAccess,
    private readonly limiter: TokenBucket | undefined,
  ) {
    this.base = new URL(access.server);
  }

  /** Builds a client for one cluster's access (see kubeconfig.ts); `rateLimit` paces requests, not lists/watches. */
  static fromAccess(access: ClusterAccess, rateLimit?: RateLimit): KubeClient {
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 32,
      ca: access.ca,
      cert: access.cert,
      key: access.key,
      rejectUnauthorized: !access.insecureSkipTlsVerify,
    });
    return new KubeClient(agent, access, rateLimit && new TokenBucket(rateLimit));
  }

  get namespace(): string {
    return this.access.namespace;
  }

  private async headers(extra: Record<string, string | number>): Promise<Record<string, string | number>> {
    const token = await this.access.token?.();
    return { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
  }

  /** Sends a request (after a token, when rate-limited) and parses the JSON answer; non-2xx is a KubeApiError. */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    await this.limiter?.take();
    return this.send<T>(method, path, body, contentType);
  }

  /** One page of a collection for an informer's cache: never rate-limited (see rate-limit.ts). */
  list<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const kind = method === 'GET' ? 'read' : 'write';
    if (kind === 'read') this.counter.reads++;
    else this.counter.writes++;
    this.onRequest?.(kind);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, this.base);
    // Explicit length: Node sends a DELETE body unframed otherwise, corrupting the kept-alive connection.
    const headers = await this.headers(
      payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {},
    );
    return new Promise<T>((resolve, reject) => {
      const req = request(url, { agent: this.agent, method, headers, timeout: 30_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let parsed: { reason?: string; message?: string } = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { message: text };
          }
          if (status >= 200 && status < 300) resolve(parsed as T);
          else
            reject(
              new KubeApiError(
                status,
                parsed.reason ?? String(status),
                `${method} ${path}: ${parsed.message ?? text}`,
              ),
            );
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** Server-side apply under our one field manager; `force` takes over fields another manager set. */
  apply<T extends KubeObject>(path: string, obj: KubeObject): Promise<T> {
    const query = `?fieldManager=${FIELD_MANAGER}&force=true`;
    return this.request<T>('PATCH', `${path}${query}`, obj, 'application/apply-patch+yaml');
  }

  mergePatch<T>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, patch, 'application/merge-patch+json');
  }

  jsonPatch<T>(path: string, ops: unknown[]): Promise<T> {
    return this.request<T>('PATCH', path, ops, 'application/json-patch+json');
  }

  delete(path: string): Promise<unknown> {
    return this.request('DELETE', path, { propagationPolicy: 'Background' });
  }

  /**
   * Opens a watch and calls `onEvent` per event; resolves when the server closes the stream, rejects on error.
   * `abort` ends it early. A stream silent for `idleMs` is presumed dead (a half-open connection never ends by
   * itself) and rejects with a WatchIdleError, so the caller re-watches instead of waiting forever.
   */
  async watch<T>(
    path: string,
    onEvent: (event: WatchEvent<T>) => void,
    abort: AbortSignal,
    idleMs: number,
  ): Promise<void> {
    this.counter.reads++;
    this.onRequest?.('read');
    const url = new URL(path, this.base);
    const headers = await this.headers({});
    return new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (err?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        if (err === undefined || abort.aborted) resolve();
        else reject(err);
      };
      const req = request(url, { agent: this.agent, method: 'GET', headers, signal: abort }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          settle(
            new KubeApiError(res.statusCode ?? 0, 'WatchFailed', `watch ${path}: HTTP ${res.statusCode}`),
          );
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          armIdle();
          buffer += chunk;
          let nl = buffer.indexOf('\n');
          while (nl >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line) onEvent(JSON.parse(line) as WatchEvent<T>);
            nl = buffer.indexOf('\n');
          }
        });
        res.on('end', () => settle());
        res.on('error', settle);
      });
      const armIdle = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          settle(new WatchIdleError(`watch ${path}: nothing received for ${idleMs} ms`));
          req.destroy();
        }, idleMs);
      };
      armIdle();
      req.on('error', settle);
      req.end();
    });
  }
}
