import type { Notification } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { describeFailure } from '../api/errors.js';
import { formatAgo } from '../time/format.js';
import { icons } from '../ui/icons.js';
import { NavigateEvent } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import { StoreController } from '../ui/store-controller.js';
import type { NotificationStore } from './notification-store.js';

/** The bell with the live unread count, and the panel to read notifications and mark them read. */
@customElement('notification-bell')
export class NotificationBell extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      /* Anchored by its left edge just right of the bell's middle: a longer count ("99+") grows away from the
         icon, so the badge covers at most the bell's top-right corner at any width. */
      .badge {
        position: absolute;
        top: -2px;
        left: calc(50% + 3px);
        min-width: 18px;
        height: 18px;
        padding: 0 5px;
        border-radius: 9px;
        background: var(--danger);
        color: var(--surface);
        font-size: 11px;
        font-weight: 700;
        line-height: 18px;
        text-align: center;
        box-shadow: 0 0 0 2px var(--surface);
        pointer-events: none;
      }
      .panel {
        position: absolute;
        right: 0;
        top: calc(100% + 6px);
        width: min(380px, calc(100vw - 16px));
        max-height: min(70vh, 520px);
        overflow: auto;
        background: var(--surface);
        border: 1px solid var(--border);
        border-radius: var(--radius);
        box-shadow: var(--shadow-lg);
        z-index: 20;
      }
      @media (max-width: 480px) {
        .panel {
          position: fixed;
          left: 8px;
          right: 8px;
          top: 60px;
          width: auto;
        }
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding: 10px 12px;
        border-bottom: 1px solid var(--border);
      }
      h2 {
        font-size: 15px;
        margin: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        gap: 10px;
        padding: 10px 12px;
        border-bottom: 1px solid var(--border);
      }
      li.unread {
        background: var(--accent-soft);
      }
      .body {
        flex: 1;
        min-width: 0;
      }
      .title {
        background: none;
        border: 0;
        padding: 0;
        text-align: left;
        cursor: pointer;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        font-size: 13px;
      }
      .empty {
        padding: 24px 12px;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) store!: NotificationStore;
  @state() private open = false;
  @state() private error = '';

  constructor() {
    super();
    new StoreController(this, () => this.store);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.closeOnOutsideClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.closeOnOutsideClick);
  }

  override render() {
    const unread = this.store?.unread ?? 0;
    return html`<button
        class="btn ghost icon"
        aria-label="Notifications, ${unread} unread"
        aria-expanded=${this.open}
        aria-controls="panel"
        @click=${() => this.toggle()}
      >
        ${icons.bell}${unread ? html`<span class="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : null}
      </button>
      ${this.open ? this.renderPanel() : null}`;
  }

  /** Opens or closes the panel; the `?` help and Escape use this too. */
  toggle(open = !this.open): void {
    this.open = open;
    if (open) this.store.load();
  }

  private renderPanel() {
    const items = this.store.items;
    return html`<section class="panel" id="panel" role="dialog" aria-label="Notifications" @keydown=${this.onKey}>
      <div class="head">
        <h2>Notifications</h2>
        <button class="btn ghost" ?disabled=${this.store.unread === 0} @click=${() => this.run(() => this.store.markAllRead())}>
          Mark all read
        </button>
      </div>
      ${this.error ? html`<p class="field-error" role="alert" style="padding:0 12px">${this.error}</p>` : null}
      ${
        items.length === 0
          ? html`<p class="empty muted">You are all caught up.</p>`
          : html`<ul aria-label="Notifications">
            ${items.map((n) => this.renderItem(n))}
          </ul>`
      }
    </section>`;
  }

  private renderItem(n: Notification) {
    const now = new Date();
    return html`<li class=${n.readAt ? '' : 'unread'}>
      <div class="body">
        <button class="title" @click=${() => this.openTask(n)}>${n.title}</button>
        <div class="meta muted">${n.type === 'reminder' ? 'Reminder' : n.type} · ${formatAgo(n.createdAt, now)}</div>
      </div>
      ${
        n.readAt
          ? null
          : html`<button class="btn ghost" aria-label="Mark “${n.title}” read" @click=${() => this.run(() => this.store.markRead(n.id))}>
            ${icons.check}
          </button>`
      }
    </li>`;
  }

  private openTask(n: Notification) {
    this.run(() => this.store.markRead(n.id));
    this.open = false;
    if (n.taskId) this.dispatchEvent(new NavigateEvent(`/tasks/${encodeURIComponent(n.taskId)}`));
  }

  private async run(action: () => Promise<void>) {
    try {
      this.error = '';
      await action();
    } catch (err) {
      this.error = describeFailure(err);
    }
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      this.open = false;
      this.shadowRoot?.querySelector<HTMLButtonElement>('button')?.focus();
    }
  };

  private closeOnOutsideClick = (e: MouseEvent) => {
    if (this.open && !e.composedPath().includes(this)) this.open = false;
  };
}
