import type { OAuthGrant } from '@todo/contract';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import '../ui/error-banner.js';
import { controls } from '../ui/shared-styles.js';
import { hostOf, SCOPE_LABELS } from './scope-labels.js';

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Settings → Connected apps: the MCP clients the user authorized, each revocable (its tokens stop at once). */
@customElement('connected-apps')
export class ConnectedApps extends LitElement {
  static override styles = [
    controls,
    css`
      h2 {
        font-size: 16px;
        margin: 0 0 6px;
      }
      p {
        margin: 0 0 10px;
      }
      ul.apps {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.apps > li {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        justify-content: space-between;
        padding: 10px 0;
        border-top: 1px solid var(--border);
      }
      .what {
        flex: 1 1 260px;
        min-width: 0;
      }
      .what ul {
        margin: 4px 0 0;
        padding-left: 18px;
        font-size: 13px;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) client!: ApiClient;
  @state() private grants: OAuthGrant[] | null = null;
  @state() private error: unknown = null;
  @state() private status = '';
  @state() private busy = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.load();
  }

  override render() {
    return html`<h2 id="apps-title">Connected apps</h2>
      <p class="muted">
        AI assistants and other MCP clients you allowed to use your tasks. Revoking one signs it out at once.
      </p>
      <error-banner .error=${this.error} @retry=${this.load}></error-banner>
      ${this.renderList()}
      <p class="muted" role="status" aria-live="polite">${this.status}</p>`;
  }

  private renderList() {
    if (this.grants === null) return this.error ? nothing : html`<p>Loading…</p>`;
    if (this.grants.length === 0) return html`<p>No apps are connected.</p>`;
    return html`<ul class="apps" aria-labelledby="apps-title">
      ${this.grants.map((g) => {
        const name = g.clientName ?? hostOf(g.clientId);
        return html`<li>
          <div class="what">
            <div class="name">${name}</div>
            <div class="muted">Connected ${when(g.createdAt)} · last active ${when(g.lastUsedAt)}</div>
            <ul aria-label="What ${name} can do">${g.scopes.map((s) => html`<li>${SCOPE_LABELS[s]}</li>`)}</ul>
          </div>
          <button class="btn danger" ?disabled=${this.busy === g.id} aria-label="Revoke ${name}" @click=${() => this.revoke(g, name)}>
            Revoke
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private load = async () => {
    this.error = null;
    try {
      this.grants = await this.client.get<OAuthGrant[]>('/oauth/grants');
    } catch (err) {
      this.error = err;
    }
  };

  private async revoke(grant: OAuthGrant, name: string) {
    this.busy = grant.id;
    this.error = null;
    try {
      await this.client.delete(`/oauth/grants/${encodeURIComponent(grant.id)}`);
      this.grants = (this.grants ?? []).filter((g) => g.id !== grant.id);
      this.status = `${name} can no longer use your tasks.`;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = '';
    }
  }
}
