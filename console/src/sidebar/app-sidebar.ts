import type { TagCount } from '@todo/contract';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ProjectStore } from '../projects/project-store.js';
import { colorOf, type Project } from '../projects/project-types.js';
import type { Route } from '../router/route.js';
import { icons } from '../ui/icons.js';
import { NavigateEvent } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import { StoreController } from '../ui/store-controller.js';
import { readSavedFilters, removeFilter, type SavedFilter, saveFilter } from './saved-filters.js';

/** Shown for a count the sidebar stopped counting at. */
export const COUNT_CAP = 200;

/**
 * The sidebar: Inbox, Today, Upcoming, Calendar, projects (one level of folders), tags and saved filters.
 * Below 720 px it folds into a Menu button. Project links are drop targets for dragged tasks
 * (`data-drop-project`). Dispatches `add-project`.
 */
@customElement('app-sidebar')
export class AppSidebar extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
        font-size: 14px;
      }
      nav {
        position: sticky;
        top: 64px;
        max-height: calc(100vh - 72px);
        overflow-y: auto;
        padding: 16px 8px 24px 12px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul ul {
        padding-left: 16px;
      }
      a {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 34px;
        padding: 0 8px;
        border-radius: var(--radius-sm);
        color: var(--text);
        text-decoration: none;
        min-width: 0;
      }
      a:hover {
        background: var(--surface-hover);
      }
      a[aria-current='page'] {
        background: var(--surface-2);
        font-weight: 600;
      }
      a.drop-hover {
        outline: 2px dashed var(--accent);
      }
      .name {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .count {
        font-size: 12px;
        color: var(--text-muted);
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        flex: none;
        margin: 0 4px;
      }
      .section {
        display: flex;
        align-items: center;
        justify-content: space-between;
        margin: 18px 0 4px 8px;
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--text-muted);
        margin: 0;
      }
      .btn.icon {
        width: 30px;
        min-height: 30px;
      }
      .filter {
        display: flex;
        align-items: center;
      }
      .filter a {
        flex: 1;
      }
      form {
        display: flex;
        gap: 4px;
        margin: 6px 0 0 8px;
      }
      .toggle {
        display: none;
      }
      @media (max-width: 720px) {
        .toggle {
          display: inline-flex;
          margin: 8px 10px 0;
        }
        nav {
          display: none;
          position: static;
          max-height: none;
          border-bottom: 1px solid var(--border);
          background: var(--surface);
        }
        nav.open {
          display: block;
        }
      }
    `,
  ];

  @property({ attribute: false }) route!: Route;
  @property({ attribute: false }) projects!: ProjectStore;
  @property({ attribute: false }) tags: TagCount[] = [];
  /** The task list's current query string, offered for saving when it filters anything. */
  @property() viewQuery = '';
  @state() private open = false;
  @state() private filters: SavedFilter[] = readSavedFilters(localStorage);
  @state() private naming = false;

  constructor() {
    super();
    new StoreController(this, () => this.projects);
  }

  override render() {
    const store = this.projects;
    const inbox = store?.inbox;
    const visible = (store?.items ?? []).filter((p) => !p.archived && !p.inbox);
    const top = visible.filter((p) => !p.parentId || !visible.some((q) => q.id === p.parentId));
    return html`<button
        class="btn toggle"
        aria-expanded=${this.open}
        aria-controls="lists"
        @click=${() => (this.open = !this.open)}
      >${icons.list} Menu</button>
      <nav id="lists" aria-label="Lists" class=${this.open ? 'open' : ''} @click=${this.onNavClick} @keydown=${this.onKey}>
        <ul>
          ${inbox ? this.projectItem(inbox, 'Inbox', []) : nothing}
          ${this.link('/today', 'Today', this.route?.page === 'today', icons.clock)}
          ${this.link('/upcoming', 'Upcoming', this.route?.page === 'upcoming', icons.list)}
          ${this.link('/calendar', 'Calendar', this.route?.page === 'calendar', icons.history)}
          ${this.link('/?status=open', 'All tasks', this.route?.page === 'tasks' && !this.viewQuery, icons.check)}
        </ul>
        ${store?.available ? this.renderProjects(top, visible) : nothing}
        ${this.renderTags()} ${this.renderFilters()}
      </nav>`;
  }

  private renderProjects(top: Project[], visible: Project[]) {
    return html`<div class="section">
        <h2 id="projects-heading">Projects</h2>
        <button class="btn ghost icon" aria-label="Add project" title="Add project" @click=${this.addProject}>${icons.plus}</button>
      </div>
      <ul aria-labelledby="projects-heading">
        ${top.map((p) =>
          this.projectItem(
            p,
            p.name,
            visible.filter((c) => c.parentId === p.id),
          ),
        )}
      </ul>`;
  }

  private projectItem(p: Project, name: string, children: Project[]): TemplateResult {
    const count = this.projects.counts.get(p.id);
    const current = this.route?.page === 'project' && this.route.projectId === p.id;
    return html`<li>
      <a href="/projects/${encodeURIComponent(p.id)}" data-drop-project=${p.id} aria-current=${current ? 'page' : 'false'}>
        ${p.inbox ? icons.check : html`<span class="dot" style="background:${colorOf(p)}" aria-hidden="true"></span>`}
        <span class="name">${name}</span>
        ${count ? html`<span class="count" aria-label="${count >= COUNT_CAP ? `${COUNT_CAP} or more` : count} open">${count >= COUNT_CAP ? `${COUNT_CAP}+` : count}</span>` : nothing}
      </a>
      ${children.length ? html`<ul>${children.map((c) => this.projectItem(c, c.name, []))}</ul>` : nothing}
    </li>`;
  }

  private renderTags() {
    if (!this.tags.length) return nothing;
    return html`<div class="section"><h2 id="tags-heading">Tags</h2></div>
      <ul aria-labelledby="tags-heading">
        ${this.tags.map((t) => {
          const q = new URLSearchParams({ tag: t.name }).toString();
          return html`<li>
            <a href="/?${q}" aria-current=${this.route?.page === 'tasks' && this.viewQuery === q ? 'page' : 'false'}>
              ${icons.tag}<span class="name">${t.name}</span><span class="count">${t.count}</span>
            </a>
          </li>`;
        })}
      </ul>`;
  }

  private renderFilters() {
    const canSave = this.route?.page === 'tasks' && this.viewQuery !== '';
    return html`<div class="section">
        <h2 id="filters-heading">Saved filters</h2>
        ${canSave && !this.naming ? html`<button class="btn ghost icon" aria-label="Save the current filter" title="Save the current filter" @click=${() => (this.naming = true)}>${icons.plus}</button>` : nothing}
      </div>
      ${
        this.filters.length
          ? html`<ul aria-labelledby="filters-heading">
              ${this.filters.map(
                (f) => html`<li class="filter">
                  <a href="/?${f.query}" aria-current=${this.route?.page === 'tasks' && this.viewQuery === f.query ? 'page' : 'false'}>${icons.filter}<span class="name">${f.name}</span></a>
                  <button class="btn ghost icon" aria-label="Remove saved filter “${f.name}”" @click=${() => (this.filters = removeFilter(localStorage, f.name))}>${icons.close}</button>
                </li>`,
              )}
            </ul>`
          : canSave
            ? nothing
            : html`<p class="muted" style="margin:0 8px">Filter the task list, then save it here.</p>`
      }
      ${
        this.naming && canSave
          ? html`<form @submit=${this.save}>
              <input class="input" name="name" aria-label="Filter name" placeholder="Name" required maxlength="60" autofocus />
              <button class="btn">Save</button>
            </form>`
          : nothing
      }`;
  }

  private link(href: string, label: string, current: boolean, icon: unknown) {
    return html`<li><a href=${href} aria-current=${current ? 'page' : 'false'}>${icon}<span class="name">${label}</span></a></li>`;
  }

  private save(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    if (!input.value.trim()) return;
    this.filters = saveFilter(localStorage, { name: input.value, query: this.viewQuery });
    this.naming = false;
  }

  private addProject() {
    this.dispatchEvent(new Event('add-project', { bubbles: true, composed: true }));
  }

  /** In-app links navigate without a reload; on a phone, choosing a list closes the menu. */
  private onNavClick(e: MouseEvent) {
    const anchor = (e.target as HTMLElement).closest('a');
    if (!anchor || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    anchor.dispatchEvent(new NavigateEvent(anchor.getAttribute('href') ?? '/'));
    this.open = false;
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === 'Escape' && this.open) {
      this.open = false;
      this.renderRoot.querySelector<HTMLElement>('.toggle')?.focus();
    }
  }
}
