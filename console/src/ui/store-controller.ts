import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders a component whenever a store it reads emits `change`; follows the store if the property changes. */
export class StoreController implements ReactiveController {
  private current: EventTarget | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => EventTarget | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.current?.removeEventListener('change', this.onChange);
    this.current = undefined;
  }

  private follow(): void {
    const next = this.store();
    if (next === this.current) return;
    this.current?.removeEventListener('change', this.onChange);
    next?.addEventListener('change', this.onChange);
    this.current = next;
  }
}
