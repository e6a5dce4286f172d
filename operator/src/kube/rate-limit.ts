/**
 * A token bucket over the controller's API requests, as client-go's QPS/Burst: `burst` requests at once, then
 * `qps` per second. Only requests a reconcile makes take a token; the informers' lists and watches do not, since
 * the caches they fill are what spares the API server every other read.
 */
export interface RateLimit {
  qps: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private lastRefill = Date.now();
  /** Callers waiting for a token, served in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(
        this.limit.burst,
        this.tokens + ((now - this.lastRefill) / 1000) * this.limit.qps,
      );
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.limit.qps) * 1000)));
    }
  }
}
