import type { OAuthAuthorizationRequest, OAuthDecisionResult } from '@todo/contract';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { ProblemError } from '../api/errors.js';
import '../ui/error-banner.js';
import { controls, page } from '../ui/shared-styles.js';
import { hostOf, SCOPE_LABELS } from './scope-labels.js';

/**
 * An MCP client asks for access to the user's tasks: who it says it is, what it may do, where it sends the
 * answer; Approve sends the browser back to the app with a one-time code, Deny with a refusal.
 */
@customElement('consent-page')
export class ConsentPage extends LitElement {
  static override styles = [
    controls,
    page,
    css`
      section {
        padding: 18px;
        max-width: 560px;
      }
      h2 {
        font-size: 16px;
        margin: 16px 0 6px;
      }
      ul {
        margin: 0;
        padding-left: 20px;
      }
      li + li {
        margin-top: 4px;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 20px;
      }
      code {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) client!: ApiClient;
  @property() requestId = '';
  @state() private request: OAuthAuthorizationRequest | null = null;
  @state() private error: unknown = null;
  @state() private gone = false;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.load();
  }

  override render() {
    const r = this.request;
    const name = r?.clientName ?? (r ? hostOf(r.clientId) : '');
    return html`<h1>${r ? `Allow ${name} to use your tasks?` : 'Connect an app'}</h1>
      <section class="card" aria-label="Authorization request">
        ${
          this.gone
            ? html`<p role="alert">This request has expired or was already answered. Start connecting again from the app.</p>`
            : nothing
        }
        <error-banner .error=${this.error} @retry=${this.load}></error-banner>
        ${r ? this.renderRequest(r, name) : this.gone || this.error ? nothing : html`<p>Loading…</p>`}
      </section>`;
  }

  private renderRequest(r: OAuthAuthorizationRequest, name: string) {
    return html`<p>
        <strong>${name}</strong> asks to reach your tasks through this server’s MCP endpoint
        (<code>${r.resource}</code>). The name is the app’s own; only approve an app you started connecting.
      </p>
      <h2 id="scopes-title">It will be able to</h2>
      <ul aria-labelledby="scopes-title">
        ${r.scopes.map((s) => html`<li>${SCOPE_LABELS[s]}</li>`)}
      </ul>
      <h2>Details</h2>
      <p class="muted">
        App: <code>${r.clientId}</code><br />
        You will be sent back to <code>${hostOf(r.redirectUri)}</code>. You can revoke access at any time in
        Settings → Connected apps.
      </p>
      <div class="actions">
        <button class="btn primary" ?disabled=${this.busy} @click=${() => this.decide(true)}>Approve</button>
        <button class="btn" ?disabled=${this.busy} @click=${() => this.decide(false)}>Deny</button>
      </div>`;
  }

  private load = async () => {
    this.error = null;
    try {
      this.request = await this.client.get<OAuthAuthorizationRequest>(
        `/oauth/requests/${encodeURIComponent(this.requestId)}`,
      );
    } catch (err) {
      this.onFailure(err);
    }
  };

  private async decide(approve: boolean) {
    this.busy = true;
    this.error = null;
    try {
      const { redirectTo } = await this.client.post<OAuthDecisionResult>(
        `/oauth/requests/${encodeURIComponent(this.requestId)}/decision`,
        { approve },
      );
      location.assign(redirectTo);
    } catch (err) {
      this.onFailure(err);
      this.busy = false;
    }
  }

  private onFailure(err: unknown) {
    if (err instanceof ProblemError && (err.status === 404 || err.status === 400)) {
      this.gone = true;
      this.request = null;
    } else this.error = err;
  }
}
