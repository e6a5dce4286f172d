/**
 * A keyed work queue in the manner of client-go's: a key waiting twice is queued once, a key being processed is
 * never handed to a second worker (a change meanwhile re-queues it after), and failures back off per key
 * exponentially. The overall rate is bounded where it costs something, on the API requests (see
 * kube/rate-limit.ts), so a reconcile that only reads caches is never held back.
 */
export interface QueueOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  baseDelayMs: 5,
  maxDelayMs: 5 * 60_000,
};

export interface QueueStats {
  depth: number;
  processing: number;
}

/** Per-key exponential backoff: base · 2^failures, capped. */
export function backoffDelay(
  failures: number,
  opts: Pick<QueueOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly enqueuedAt = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS) {}

  /** Queues a key now; a key already waiting is not queued twice. */
  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.enqueuedAt.set(key, Date.now());
    this.ready.push(key);
    this.waiters.shift()?.();
  }

  /** Queues a key after a delay (a later, shorter request wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Re-queues a failed key with its per-key backoff (capped at `maxDelayMs`) and returns the delay chosen. */
  addWithBackoff(key: string, maxDelayMs = this.opts.maxDelayMs): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = backoffDelay(failures, { ...this.opts, maxDelayMs });
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's failure history after a success. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Waits for the next key; undefined once shut down. */
  async get(): Promise<{ key: string; waitedMs: number } | undefined> {
    for (;;) {
      if (this.shuttingDown) return undefined;
      const key = this.ready.shift();
      if (key !== undefined) {
        this.queued.delete(key);
        this.processing.add(key);
        const waitedMs = Date.now() - (this.enqueuedAt.get(key) ?? Date.now());
        this.enqueuedAt.delete(key);
        return { key, waitedMs };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Marks a key finished; if it changed while being processed, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  stats(): QueueStats {
    return { depth: this.ready.length, processing: this.processing.size };
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.waiters.splice(0)) wake();
  }
}
