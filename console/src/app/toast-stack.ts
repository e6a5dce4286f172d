import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';

/** Something the person can do about a toast's message, e.g. Retry a failed action. */
export interface ToastAction {
  label: string;
  run: () => void;
}

interface Toast {
  id: number;
  text: string;
  action?: ToastAction;
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
      display: flex;
      align-items: center;
      gap: 12px;
    }
    .toast span {
      flex: 1;
    }
    .toast button {
      pointer-events: auto;
      font: inherit;
      font-weight: 600;
      padding: 4px 10px;
      border-radius: 6px;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    .toast button:focus-visible {
      outline: 2px solid var(--bg);
      outline-offset: 2px;
    }
  `;

  @state() private toasts: Toast[] = [];
  private next = 0;

  /** Shows a message; with an action it stays longer and offers a button that runs it once. */
  show(text: string, ms = 4000, action?: ToastAction): void {
    const toast: Toast = { id: this.next++, text, ...(action ? { action } : {}) };
    this.toasts = [...this.toasts.slice(-2), toast];
    setTimeout(() => this.dismiss(toast), action ? Math.max(ms, 10_000) : ms);
  }

  private dismiss(toast: Toast): void {
    this.toasts = this.toasts.filter((t) => t !== toast);
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${this.toasts.map(
        (t) =>
          html`<div class="toast">
            <span>${t.text}</span>
            ${
              t.action
                ? html`<button
                    @click=${() => {
                      this.dismiss(t);
                      t.action?.run();
                    }}
                  >
                    ${t.action.label}
                  </button>`
                : null
            }
          </div>`,
      )}
    </div>`;
  }
}
