import { html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { modalStyles } from './modal-styles.js';
import { controls } from './shared-styles.js';

/** An in-page "are you sure?" (never the browser's `confirm()`); `ask()` resolves true when confirmed. */
@customElement('confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [controls, modalStyles];

  @property() heading = '';
  @property() message = '';
  @property() confirmLabel = 'Delete';
  @query('dialog') private dialog!: HTMLDialogElement;
  private resolve: ((ok: boolean) => void) | null = null;

  override render() {
    return html`<dialog aria-labelledby="confirm-title" @close=${() => this.settle(false)}>
      <div class="body">
        <h2 id="confirm-title">${this.heading}</h2>
        <p>${this.message}</p>
        <div class="actions">
          <button class="btn" autofocus @click=${() => this.settle(false)}>Cancel</button>
          <button class="btn primary" @click=${() => this.settle(true)}>${this.confirmLabel}</button>
        </div>
      </div>
    </dialog>`;
  }

  async ask(heading: string, message: string, confirmLabel = 'Delete'): Promise<boolean> {
    this.heading = heading;
    this.message = message;
    this.confirmLabel = confirmLabel;
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private settle(ok: boolean) {
    const resolve = this.resolve;
    this.resolve = null;
    if (this.dialog.open) this.dialog.close();
    resolve?.(ok);
  }
}
