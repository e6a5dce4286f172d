import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';

interface Toast {
  id: number;
  text: string;
}

/** Short-lived messages ("Completed …", "Reminder: …"), announced politely to screen readers. */
@customElement('toast-stack')
export class ToastStack extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      left: 50%;
      bottom: 16px;
      transform: translateX(-50%);
      z-index: 50;
      display: grid;
      gap: 8px;
      width: min(420px, calc(100vw - 24px));
      pointer-events: none;
    }
    .toast {
      padding: 10px 14px;
      border-radius: 8px;
      background: var(--text);
      color: var(--bg);
      box-shadow: var(--shadow-lg);
      font-size: 14px;
    }
  `;

  @state() private toasts: Toast[] = [];
  private next = 0;

  show(text: string, ms = 4000): void {
    const toast = { id: this.next++, text };
    this.toasts = [...this.toasts.slice(-2), toast];
    setTimeout(() => (this.toasts = this.toasts.filter((t) => t !== toast)), ms);
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${this.toasts.map((t) => html`<div class="toast">${t.text}</div>`)}
    </div>`;
  }
}
