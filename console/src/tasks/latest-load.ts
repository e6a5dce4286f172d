/**
 * A list loaded from the API in which only the latest load counts: the answer (or failure) of a load the user
 * has since replaced, by another load or a reset, is dropped. Emits `change` whenever its state changes.
 */
export abstract class LatestLoad extends EventTarget {
  loading = false;
  /** Set once a load's answer arrived. */
  loaded = false;
  error: unknown = null;
  /** Counts loads and resets; a load whose number is no longer current is stale. */
  protected generation = 0;

  /**
   * Runs `fetch` as the latest load and hands its result to `apply`, unless a newer load or a reset began
   * meanwhile (`fetch` may stop early when `stale()` says so: its result is dropped anyway).
   */
  protected async loadLatest<T>(fetch: (stale: () => boolean) => Promise<T>, apply: (result: T) => void) {
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    this.loading = true;
    this.error = null;
    this.changed();
    try {
      const result = await fetch(stale);
      if (stale()) return;
      apply(result);
      this.loaded = true;
    } catch (err) {
      if (!stale()) this.error = err;
    } finally {
      if (!stale()) {
        this.loading = false;
        this.changed();
      }
    }
  }

  protected changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
