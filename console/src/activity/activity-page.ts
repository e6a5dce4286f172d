import type { ActivityEntry, Page } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { formatAgo, formatFull } from '../time/format.js';
import { localTimeZone } from '../time/zoned.js';
import '../ui/error-banner.js';
import { followLink } from '../ui/navigate.js';
import { controls, page } from '../ui/shared-styles.js';

/** The user's audit trail, newest first, paged by cursor. */
@customElement('activity-page')
export class ActivityPage extends LitElement {
  static override styles = [
    controls,
    page,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        justify-content: space-between;
        padding: 10px 14px;
        border-bottom: 1px solid var(--border);
      }
      li:last-child {
        border-bottom: 0;
      }
      .what {
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .verb {
        font-weight: 600;
      }
      a {
        color: var(--accent);
      }
      .more {
        margin-top: 12px;
        text-align: center;
      }
      .empty {
        padding: 32px;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) client!: ApiClient;
  @state() private items: ActivityEntry[] = [];
  @state() private cursor: string | null = null;
  @state() private error: unknown = null;
  @state() private loading = false;
  @state() private loaded = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.load(null);
  }

  override render() {
    const now = new Date();
    return html`<h1>Activity</h1>
      <error-banner .error=${this.error} @retry=${() => this.load(this.loaded ? this.cursor : null)}></error-banner>
      ${
        this.loaded && this.items.length === 0
          ? html`<p class="empty muted">No activity yet.</p>`
          : html`<ol class="card" aria-label="Activity">
            ${this.items.map(
              (e) => html`<li>
                <span class="what"
                  ><span class="verb">${describe(e.type)}</span>
                  ${
                    e.type.endsWith('deleted')
                      ? e.title
                      : html`<a href="/tasks/${encodeURIComponent(e.taskId)}" @click=${followLink}>${e.title}</a>`
                  }
                  ${e.changes?.fields?.length ? html`<span class="muted">(${e.changes.fields.join(', ')})</span>` : null}</span
                >
                <time class="muted" datetime=${e.occurredAt} title=${formatFull(e.occurredAt, localTimeZone())}
                  >${formatAgo(e.occurredAt, now)}</time
                >
              </li>`,
            )}
          </ol>`
      }
      ${
        this.cursor
          ? html`<p class="more"><button class="btn" ?disabled=${this.loading} @click=${() => this.load(this.cursor)}>Load older</button></p>`
          : null
      }`;
  }

  private async load(cursor: string | null) {
    this.loading = true;
    this.error = null;
    try {
      const query = new URLSearchParams({ limit: '50' });
      if (cursor) query.set('cursor', cursor);
      const page = await this.client.get<Page<ActivityEntry>>('/activity', query);
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.cursor = page.nextCursor;
      this.loaded = true;
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }
}

/** "task.completed" → "Completed". */
function describe(type: string): string {
  const verb = type.split('.').at(-1) ?? type;
  return verb.charAt(0).toUpperCase() + verb.slice(1).replace(/[_-]/g, ' ');
}
