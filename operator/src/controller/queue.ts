/**
 * A keyed work queue in the manner of client-go's: a key waiting twice is queued once, a key being processed is
 * never handed to a second worker (a change meanwhile re-queues it after), failures back off per key
 * exponentially, and a token bucket bounds the overall rate.
 */
export interface QueueOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Sustained keys per second across all workers, with `burst` allowed at once. */
  ratePerSecond: number;
  burst: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  baseDelayMs: 5,
  maxDelayMs: 5 * 60_000,
  ratePerSecond: 50,
  burst: 300,
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
  private tokens: number;
  private lastRefill = Date.now();
  private shuttingDown = false;

  constructor(private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS) {
    this.tokens = opts.burst;
  }

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

  /** Re-queues a failed key with its per-key backoff and returns the delay chosen. */
  addRateLimited(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = backoffDelay(failures, this.opts);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's failure history after a success. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Waits for the next key (respecting the rate limit); undefined once shut down and drained. */
  async get(): Promise<{ key: string; waitedMs: number } | undefined> {
    for (;;) {
      if (this.shuttingDown) return undefined;
      const key = this.ready.shift();
      if (key !== undefined) {
        await this.takeToken();
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

  private async takeToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(
        this.opts.burst,
        this.tokens + ((now - this.lastRefill) / 1000) * this.opts.ratePerSecond,
      );
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) =>
        setTimeout(r, Math.ceil(((1 - this.tokens) / this.opts.ratePerSecond) * 1000)),
      );
    }
  }
}
