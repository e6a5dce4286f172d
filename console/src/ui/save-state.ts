import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describeFailure } from '../api/errors.js';

/**
 * A form's save: `busy` while it runs (the host disables its controls), then the failure to show in
 * `error`, or '' after a success; the host re-renders on each change.
 */
export class SaveState implements ReactiveController {
  busy = false;
  error = '';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs `save`, busy meanwhile; a failure is described in `error`, not thrown. */
  async run(save: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.fail('');
    try {
      await save();
    } catch (err) {
      this.fail(describeFailure(err));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** Shows a message (a check the form makes before saving), or clears it with ''. */
  fail(message: string): void {
    this.error = message;
    this.host.requestUpdate();
  }
}
