import type { ReactiveControllerHost } from 'lit';

/**
 * Code-split parts of the console, fetched on first need so the first screen stays small; the host
 * re-renders once a part has arrived.
 */
export class LazyPages<Name extends string> {
  private readonly loaded = new Set<Name>();
  private readonly loading = new Set<Name>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly loaders: Record<Name, () => Promise<unknown>>,
  ) {}

  /** Whether `name` has arrived; asks for it (once) when it has not. */
  ready(name: Name): boolean {
    if (this.loaded.has(name)) return true;
    if (!this.loading.has(name)) {
      this.loading.add(name);
      this.loaders[name]().then(() => {
        this.loaded.add(name);
        this.host.requestUpdate();
      });
    }
    return false;
  }
}
