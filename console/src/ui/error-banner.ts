import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { describeFailure, NetworkError, ProblemError } from '../api/errors.js';
import { SERVER_ANSWERED } from '../api/server-answers.js';
import { icons } from './icons.js';
import { controls } from './shared-styles.js';

/**
 * A failed request, said plainly, with a Retry button; dispatches `retry`. A banner about an unreachable or
 * failing server retries by itself when the server answers another request, so it never outlives the outage.
 */
@customElement('error-banner')
export class ErrorBanner extends LitElement {
  static override styles = [
    controls,
    css`
      .banner {
        display: flex;
        align-items: center;
        gap: 10px;
        flex-wrap: wrap;
        padding: 10px 12px;
        border-radius: var(--radius);
        border: 1px solid var(--danger);
        background: var(--danger-soft);
        color: var(--text);
      }
      .banner.offline {
        border-color: var(--warning);
        background: var(--warning-soft);
      }
      .message {
        flex: 1 1 200px;
        display: flex;
        gap: 8px;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(SERVER_ANSWERED, this.onServerAnswered);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(SERVER_ANSWERED, this.onServerAnswered);
  }

  private onServerAnswered = () => {
    const e = this.error;
    if (e instanceof NetworkError || (e instanceof ProblemError && e.status >= 500)) this.retry();
  };

  private retry() {
    this.dispatchEvent(new Event('retry'));
  }

  override render() {
    if (!this.error) return null;
    const offline = this.error instanceof NetworkError;
    return html`<div class="banner ${offline ? 'offline' : ''}" role="alert">
      <span class="message">${offline ? icons.wifiOff : null}${describeFailure(this.error)}</span>
      <button class="btn" @click=${this.retry}>Retry</button>
    </div>`;
  }
}
