import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';

/** Something the person can do about a toast's message: Undo what just happened, Retry what failed. */
export interface ToastAction {
  label: string;
  run: () => void;
}

export interface ToastOptions {
  /** How long it stays, unless hovered or focused; toasts with an action stay at least 10 s. */
  ms?: number;
  action?: ToastAction | undefined;
  /** A failure is announced assertively (role=alert), everything else politely (role=status). */
  kind?: 'info' | 'error';
}

interface Toast {
  id: number;
  text: string;
  action?: ToastAction | undefined;
  kind: 'info' | 'error';
  ms: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Short-lived messages ("Completed …" with Undo, "Cannot reach the server" with Retry). A toast stays while
 * the pointer is over it or focus is in it, so its button can be reached by Tab without racing a timer.
 */
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
    .region {
      display: grid;
      gap: 8px;
    }
    .toast {
      pointer-events: auto;
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
      font: inherit;
      font-weight: 600;
      min-height: 32px;
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

  /** Shows a message; with an action it offers a button that runs it once and closes the toast. */
  show(text: string, options: ToastOptions = {}): void {
    const { action, kind = 'info' } = options;
    const ms = action ? Math.max(options.ms ?? 0, 10_000) : (options.ms ?? 4000);
    const toast: Toast = { id: this.next++, text, action, kind, ms };
    const dropped = this.toasts.slice(0, -2);
    for (const t of dropped) clearTimeout(t.timer);
    this.toasts = [...this.toasts.slice(-2), toast];
    this.arm(toast);
  }

  /** Runs the action labelled `label` of the newest toast that has one (the `z` shortcut); false when none. */
  runLatest(label: string): boolean {
    const toast = this.toasts.findLast((t) => t.action?.label === label);
    if (toast) this.runAction(toast);
    return !!toast;
  }

  private arm(toast: Toast): void {
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => this.dismiss(toast), toast.ms);
  }

  private dismiss(toast: Toast): void {
    clearTimeout(toast.timer);
    this.toasts = this.toasts.filter((t) => t !== toast);
  }

  private runAction(toast: Toast): void {
    this.dismiss(toast);
    toast.action?.run();
  }

  private hold(toast: Toast): void {
    clearTimeout(toast.timer);
  }

  /** Focus leaving for another element of the same toast keeps it; leaving the toast restarts its timer. */
  private release(toast: Toast, e: Event): void {
    const to = (e as FocusEvent).relatedTarget as Node | null;
    if (to && (e.currentTarget as Node).contains(to)) return;
    const el = e.currentTarget as HTMLElement;
    if (el.matches(':hover') || el.matches(':focus-within')) return;
    this.arm(toast);
  }

  private renderToast(t: Toast) {
    return html`<div
      class="toast"
      @mouseenter=${() => this.hold(t)}
      @mouseleave=${(e: Event) => this.release(t, e)}
      @focusin=${() => this.hold(t)}
      @focusout=${(e: Event) => this.release(t, e)}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.dismiss(t)}
    >
      <span>${t.text}</span>
      ${t.action ? html`<button type="button" @click=${() => this.runAction(t)}>${t.action.label}</button>` : null}
    </div>`;
  }

  override render() {
    // Two regions that always exist, so screen readers have registered them before the first message.
    return html`<div class="region" role="status" aria-live="polite">
        ${this.toasts.filter((t) => t.kind === 'info').map((t) => this.renderToast(t))}
      </div>
      <div class="region" role="alert">
        ${this.toasts.filter((t) => t.kind === 'error').map((t) => this.renderToast(t))}
      </div>`;
  }
}
