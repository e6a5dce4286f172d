/**
 * List+watch for one kind with resourceVersion bookkeeping: the watch resumes from the last seen version,
 * a 410 Gone (history compacted) triggers a fresh list, a watch silent for too long is replaced (a half-open
 * connection would otherwise freeze the cache), and a periodic re-list repairs anything a watch missed.
 * The cache is the informer's map; handlers hear about every change.
 */
import type { KubeClient, KubeObject, ObjectList, WatchEvent } from '../kube/client.js';
import { isGone, isNotFound } from '../kube/errors.js';
import { apiVersionOf, collectionPath, type ResourceKind } from '../kube/resources.js';

export type InformerHandler<T extends KubeObject> = (obj: T, kind: 'upsert' | 'delete' | 'resync') => void;

export interface InformerOptions {
  labelSelector?: string;
  /** How often the cache is rebuilt from a full list, and every object reported as `resync`. */
  resyncMs: number;
  /**
   * A watch that receives nothing for this long is restarted. The API server sends a bookmark about once a
   * minute (allowWatchBookmarks), so a healthy watch is never this quiet for long; default 2 minutes.
   */
  watchIdleMs?: number;
  onError?: (err: unknown) => void;
}

const DEFAULT_WATCH_IDLE_MS = 120_000;

export const cacheKey = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private resourceVersion = '';
  private abort = new AbortController();
  private stopped = false;
  private synced = false;
  private markSynced!: () => void;
  /** Resolves once the cache holds a complete list. */
  readonly whenSynced = new Promise<void>((resolve) => {
    this.markSynced = resolve;
  });
  private lastList = 0;
  private failures = 0;

  constructor(
    private readonly client: KubeClient,
    readonly kind: ResourceKind,
    private readonly options: InformerOptions,
  ) {}

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(cacheKey(namespace, name));
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Runs until stop(): list, then watch from the list's resourceVersion, re-listing when needed. */
  async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const due = Date.now() - this.lastList >= this.options.resyncMs;
        if (!this.resourceVersion || due) await this.relist();
        await this.watchOnce();
        this.failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (isGone(err)) {
          this.resourceVersion = '';
          continue;
        }
        this.failures++;
        this.options.onError?.(err);
        // Back off on repeated failures (e.g. a CRD that is not installed yet) without giving up.
        await sleep(Math.min(30_000, 200 * 2 ** Math.min(this.failures, 8)));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private query(extra: Record<string, string>): string {
    const params = new URLSearchParams(extra);
    if (this.options.labelSelector) params.set('labelSelector', this.options.labelSelector);
    return `${collectionPath(this.kind)}?${params}`;
  }

  private async relist(): Promise<void> {
    const seen = new Set<string>();
    let cont = '';
    let list: ObjectList<T>;
    do {
      try {
        list = await this.client.list<ObjectList<T>>(
          this.query({ limit: '500', ...(cont ? { continue: cont } : {}) }),
        );
      } catch (err) {
        // A kind the server does not serve (Dapr not installed) has no objects: synced, empty, and retried.
        if (isNotFound(err)) this.replaceWith(new Set());
        throw err;
      }
      for (const item of list.items) {
        // List items omit apiVersion/kind; the cache holds whole objects, as a GET or a watch would return them.
        item.apiVersion ??= apiVersionOf(this.kind);
        item.kind ??= this.kind.kind;
        withoutManagedFields(item);
        const key = cacheKey(item.metadata.namespace, item.metadata.name);
        seen.add(key);
        const old = this.cache.get(key);
        this.cache.set(key, item);
        this.emit(
          item,
          old && old.metadata.resourceVersion === item.metadata.resourceVersion ? 'resync' : 'upsert',
        );
      }
      cont = list.metadata.continue ?? '';
    } while (cont);
    this.replaceWith(seen);
    this.resourceVersion = list.metadata.resourceVersion;
    this.lastList = Date.now();
  }

  /** Ends a list: drops what it did not contain, and the cache counts as synced from now on. */
  private replaceWith(seen: Set<string>): void {
    for (const [key, obj] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit(obj, 'delete');
      }
    }
    this.synced = true;
    this.markSynced();
  }

  private async watchOnce(): Promise<void> {
    this.abort = new AbortController();
    const remaining = Math.max(1, this.options.resyncMs - (Date.now() - this.lastList));
    // The server ends the watch after timeoutSeconds; the loop then re-lists if a resync is due.
    const timeoutSeconds = String(Math.max(1, Math.ceil(remaining / 1000)));
    const path = this.query({
      watch: 'true',
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds,
    });
    let gone: unknown;
    await this.client.watch<T>(
      path,
      (event: WatchEvent<T>) => {
        if (event.type === 'ERROR') {
          const status = event.object as unknown as { code?: number; message?: string };
          if (status.code === 410) {
            gone = status;
            this.abort.abort();
          }
          return;
        }
        const obj = withoutManagedFields(event.object);
        if (obj.metadata.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        if (event.type === 'BOOKMARK') return;
        const key = cacheKey(obj.metadata.namespace, obj.metadata.name);
        if (event.type === 'DELETED') {
          this.cache.delete(key);
          this.emit(obj, 'delete');
        } else {
          this.cache.set(key, obj);
          this.emit(obj, 'upsert');
        }
      },
      this.abort.signal,
      this.options.watchIdleMs ?? DEFAULT_WATCH_IDLE_MS,
    );
    if (gone) this.resourceVersion = '';
  }

  private emit(obj: T, kind: 'upsert' | 'delete' | 'resync'): void {
    for (const handler of this.handlers) handler(obj, kind);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Drops `metadata.managedFields` before an object is cached: server-side apply records there, per field manager,
 * every field it set, often more than the object itself. Nothing here reads it (drift is judged on the fields
 * themselves, and every write is a patch, never a whole object put back), so it would only hold memory.
 */
function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata) delete (obj.metadata as { managedFields?: unknown }).managedFields;
  return obj;
}
