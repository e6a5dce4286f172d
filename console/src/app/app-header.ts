import type { User } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { NotificationStore } from '../notifications/notification-store.js';
import '../notifications/notification-bell.js';
import type { Route } from '../router/route.js';
import { icons } from '../ui/icons.js';
import { followLink } from '../ui/navigate.js';
import { controls, visuallyHiddenRules } from '../ui/shared-styles.js';

/** Top bar: brand, search, pages, notifications, account. Dispatches `search` (detail: text) and `logout`. */
@customElement('app-header')
export class AppHeader extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
        position: sticky;
        top: 0;
        z-index: 10;
        background: var(--surface);
        border-bottom: 1px solid var(--border);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        max-width: 1040px;
        margin: 0 auto;
        padding: 8px 16px;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 6px;
        font-weight: 700;
        font-size: 17px;
        color: var(--accent);
        text-decoration: none;
        margin-right: 8px;
      }
      .brand svg {
        width: 24px;
        height: 24px;
      }
      .search {
        position: relative;
        flex: 1 1 auto;
        min-width: 0;
        max-width: 420px;
      }
      .search svg {
        position: absolute;
        left: 10px;
        top: 50%;
        transform: translateY(-50%);
        color: var(--text-muted);
      }
      .search input {
        padding-left: 34px;
        background: var(--surface-2);
      }
      nav {
        display: flex;
        gap: 2px;
        margin-left: auto;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        padding: 0 10px;
        min-height: 36px;
        border-radius: var(--radius-sm);
        color: var(--text-muted);
        text-decoration: none;
        font-weight: 500;
      }
      nav a[aria-current='page'] {
        color: var(--text);
        background: var(--surface-2);
      }
      .account {
        display: flex;
        align-items: center;
        gap: 4px;
      }
      .who {
        max-width: 160px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 13px;
      }
      @media (max-width: 720px) {
        .kbd,
        .who,
        .brand span {
          display: none;
        }
        /* Icon-only links keep their words for screen readers. */
        nav a span {
          ${visuallyHiddenRules}
        }
        .bar {
          padding: 8px 10px;
          gap: 4px;
        }
      }
    `,
  ];

  @property({ attribute: false }) route!: Route;
  @property({ attribute: false }) user: User | null = null;
  @property({ attribute: false }) notifications!: NotificationStore;
  @property() q = '';
  @property() viewQuery = '';
  @query('input[type=search]') private searchInput!: HTMLInputElement;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  override render() {
    const page = this.route?.page;
    const tasksHref = `/${this.viewQuery ? `?${this.viewQuery}` : ''}`;
    return html`<header class="bar">
      <a class="brand" href=${tasksHref} @click=${followLink} aria-label="Todo, all tasks">${icons.logo}<span>Todo</span></a>
      <div class="search" role="search">
        ${icons.search}
        <input
          class="input"
          type="search"
          aria-label="Search tasks"
          placeholder="Search  /"
          .value=${this.q}
          @input=${this.onInput}
          @keydown=${this.onKey}
        />
      </div>
      <nav aria-label="Pages">
        <a href=${tasksHref} @click=${followLink} aria-current=${page === 'tasks' ? 'page' : 'false'}>${icons.list}<span>Tasks</span></a>
        <a href="/activity" @click=${followLink} aria-current=${page === 'activity' ? 'page' : 'false'}>${icons.history}<span>Activity</span></a>
        <a href="/settings" @click=${followLink} aria-current=${page === 'settings' ? 'page' : 'false'}>${icons.settings}<span>Settings</span></a>
      </nav>
      <notification-bell .store=${this.notifications}></notification-bell>
      <div class="account">
        <span class="who muted" title=${this.user?.email ?? ''}>${this.user?.name || this.user?.email}</span>
        <button class="btn ghost icon kbd" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this.dispatchEvent(new Event('shortcuts', { bubbles: true, composed: true }))}>
          ${icons.keyboard}
        </button>
        <button class="btn ghost icon" aria-label="Log out" title="Log out" @click=${() => this.dispatchEvent(new Event('logout'))}>
          ${icons.logout}
        </button>
      </div>
    </header>`;
  }

  /** Puts the caret in the search box (the `/` shortcut). */
  focusSearch(): void {
    this.searchInput?.focus();
    this.searchInput?.select();
  }

  private onInput(e: InputEvent) {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.emit(value), 250);
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === 'Enter') {
      clearTimeout(this.debounce);
      this.emit((e.target as HTMLInputElement).value);
    } else if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
  }

  private emit(q: string) {
    this.dispatchEvent(new CustomEvent('search', { detail: q.trim() }));
  }
}
