import type { CalendarFeedUrl } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { type Density, savedDensity, setDensity } from '../ui/density.js';
import '../oauth/connected-apps.js';
import '../portability/import-export.js';
import type { ImportTarget } from '../portability/import-export.js';
import '../ui/error-banner.js';
import { controls, page } from '../ui/shared-styles.js';

/**
 * Settings: row density (this device), the secret calendar feed URL to copy or rotate when it leaked, the apps
 * connected through OAuth, import and export.
 */
@customElement('settings-page')
export class SettingsPage extends LitElement {
  static override styles = [
    controls,
    page,
    css`
      section {
        padding: 14px;
      }
      h2 {
        font-size: 16px;
        margin: 0 0 6px;
      }
      p {
        margin: 0 0 10px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .row + p {
        margin: 8px 0 0;
      }
      section + section {
        margin-top: 14px;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px 18px;
      }
      legend {
        padding: 0;
        margin-bottom: 6px;
        font-weight: 600;
      }
      fieldset label {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        cursor: pointer;
      }
      .row input {
        flex: 1 1 280px;
        min-width: 0;
        font-family: ui-monospace, monospace;
      }
    `,
  ];

  @property({ attribute: false }) client!: ApiClient;
  /** The projects an import can go into besides the Inbox: the ones this user may write to. */
  @property({ attribute: false }) projects: readonly ImportTarget[] = [];
  @state() private url = '';
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private confirming = false;
  @state() private status = '';
  @state() private density: Density = savedDensity();

  override connectedCallback(): void {
    super.connectedCallback();
    this.run(() => this.client.get<CalendarFeedUrl>('/calendar/feed-url'));
  }

  override render() {
    return html`<h1>Settings</h1>
      <section class="card" aria-labelledby="display-title">
        <h2 id="display-title">Display</h2>
        <fieldset>
          <legend>Task rows</legend>
          ${(['comfortable', 'compact'] as const).map(
            (d) => html`<label>
              <input type="radio" name="density" value=${d} .checked=${this.density === d} @change=${() => this.chooseDensity(d)} />
              ${d === 'compact' ? 'Compact' : 'Comfortable'}
            </label>`,
          )}
        </fieldset>
        <p class="muted">Compact fits more tasks on the screen. Kept on this device.</p>
      </section>
      <section class="card" aria-labelledby="feed-title">
        <h2 id="feed-title">Calendar feed</h2>
        <p class="muted">
          Subscribe to this address in Google Calendar, Apple Calendar or Outlook to see your dated tasks there.
          Anyone with it can read your calendar, nothing else; keep it private.
        </p>
        <error-banner .error=${this.error} @retry=${() => this.run(() => this.client.get<CalendarFeedUrl>('/calendar/feed-url'))}></error-banner>
        <div class="row">
          <input class="input" readonly aria-label="Calendar feed URL" .value=${this.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          <button class="btn" ?disabled=${!this.url || this.busy} @click=${this.copy}>Copy</button>
          ${
            this.confirming
              ? html`<button class="btn danger" ?disabled=${this.busy} @click=${this.rotate}>Rotate now</button>
                  <button class="btn ghost" @click=${() => (this.confirming = false)}>Cancel</button>`
              : html`<button class="btn" ?disabled=${!this.url || this.busy} @click=${() => (this.confirming = true)}>Rotate…</button>`
          }
        </div>
        ${this.confirming ? html`<p class="muted">The current address stops working in every calendar subscribed to it.</p>` : null}
        <p class="muted" role="status" aria-live="polite">${this.status}</p>
      </section>
      <section class="card" aria-label="Connected apps">
        <connected-apps .client=${this.client}></connected-apps>
      </section>
      <section class="card" aria-label="Import and export">
        <import-export .client=${this.client} .projects=${this.projects}></import-export>
      </section>`;
  }

  private chooseDensity(density: Density) {
    this.density = density;
    setDensity(density);
  }

  private async run(fetchUrl: () => Promise<CalendarFeedUrl>, done = '') {
    this.busy = true;
    this.error = null;
    try {
      this.url = (await fetchUrl()).url;
      this.status = done;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private copy = async () => {
    try {
      await navigator.clipboard.writeText(this.url);
      this.status = 'Copied.';
    } catch {
      // Without clipboard permission the text is selected, for the user to copy.
      this.renderRoot.querySelector('input')?.select();
      this.status = 'Press Ctrl+C (⌘C) to copy.';
    }
  };

  private rotate = async () => {
    this.confirming = false;
    await this.run(
      () => this.client.post<CalendarFeedUrl>('/calendar/feed-url/rotate'),
      'A new address was made; the old one no longer works.',
    );
  };
}
