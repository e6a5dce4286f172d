import type { Priority, TagCount } from '@todo/contract';
import { PRIORITIES } from '@todo/contract/constants';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';
import { DEFAULT_VIEW, isFiltered, type Sort, type Status, type ViewState } from './view-state.js';

const SORTS: [Sort, string][] = [
  ['due', 'Due date'],
  ['-priority', 'Priority'],
  ['-created', 'Newest'],
  ['created', 'Oldest'],
  ['-updated', 'Recently updated'],
  ['title', 'Title A–Z'],
];
const STATUS_LABEL: Record<Status, string> = { open: 'Open', completed: 'Completed', all: 'All' };

/** Status, sort and the filter panel; every change is a new ViewState in a `view-change` event. */
@customElement('filter-bar')
export class FilterBar extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .segmented {
        display: inline-flex;
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        overflow: hidden;
        background: var(--surface);
      }
      .segmented button {
        border: 0;
        background: none;
        padding: 0 12px;
        min-height: 34px;
        cursor: pointer;
        color: var(--text-muted);
      }
      .segmented button[aria-pressed='true'] {
        background: var(--accent-soft);
        color: var(--text);
        font-weight: 600;
      }
      .spacer {
        flex: 1;
      }
      select.input {
        width: auto;
      }
      .count {
        background: var(--accent);
        color: var(--on-accent);
        border-radius: 999px;
        padding: 0 6px;
        font-size: 12px;
        font-weight: 700;
      }
      .panel {
        margin-top: 10px;
        padding: 12px;
        border: 1px solid var(--border);
        border-radius: var(--radius);
        background: var(--surface);
        display: grid;
        gap: 12px;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        font-size: 13px;
        margin-bottom: 6px;
        padding: 0;
      }
      .toggles {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .toggle {
        cursor: pointer;
        font: inherit;
        font-size: 13px;
      }
      .toggle[aria-pressed='true'] {
        background: var(--accent);
        color: var(--on-accent);
        border-color: var(--accent);
      }
      .dates {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .dates label {
        flex: 1 1 120px;
        font-size: 13px;
      }
      .checks label {
        display: flex;
        gap: 8px;
        align-items: center;
        min-height: 28px;
      }
      .actions {
        grid-column: 1 / -1;
        display: flex;
        justify-content: flex-end;
        border-top: 1px solid var(--border);
        padding-top: 8px;
      }
    `,
  ];

  @property({ attribute: false }) view: ViewState = DEFAULT_VIEW;
  @property({ attribute: false }) tags: TagCount[] = [];
  @state() private open = false;

  override render() {
    const v = this.view;
    const active = activeFilterCount(v);
    return html`<div class="row">
        <div class="segmented" role="group" aria-label="Status">
          ${(['open', 'completed', 'all'] as Status[]).map(
            (s) =>
              html`<button aria-pressed=${v.status === s} @click=${() => this.change({ status: s })}>${STATUS_LABEL[s]}</button>`,
          )}
        </div>
        <button class="btn" aria-expanded=${this.open} aria-controls="filters" @click=${() => (this.open = !this.open)}>
          ${icons.filter} Filters ${active ? html`<span class="count" aria-label="${active} active">${active}</span>` : null}
        </button>
        <span class="spacer"></span>
        <label class="visually-hidden" for="sort">Sort by</label>
        <select id="sort" class="input" @change=${(e: Event) => this.change({ sort: (e.target as HTMLSelectElement).value as Sort })}>
          ${SORTS.map(([value, label]) => html`<option value=${value} ?selected=${v.sort === value}>Sort: ${label}</option>`)}
        </select>
        <slot></slot>
      </div>
      ${this.open ? this.renderPanel() : null}`;
  }

  private renderPanel() {
    const v = this.view;
    return html`<div class="panel" id="filters">
      <fieldset>
        <legend>Priority</legend>
        <div class="toggles">
          ${PRIORITIES.filter((p) => p !== 'none').map(
            (p) =>
              html`<button class="chip toggle" aria-pressed=${v.priority.includes(p)} @click=${() => this.togglePriority(p)}>${p}</button>`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Tags</legend>
        <div class="toggles">
          ${this.tags.length === 0 ? html`<span class="muted">No tags yet</span>` : null}
          ${this.tags.map(
            (t) =>
              html`<button class="chip toggle" aria-pressed=${v.tags.includes(t.name)} @click=${() => this.toggleTag(t.name)}>
                <span class="visually-hidden">Tag </span>#${t.name} <span aria-hidden="true">${t.count}</span>
              </button>`,
          )}
        </div>
        ${
          v.tags.length > 1
            ? html`<label style="display:block;margin-top:8px"
              >Match
              <select class="input" style="width:auto" @change=${(e: Event) => this.change({ tagMode: (e.target as HTMLSelectElement).value as 'any' | 'all' })}>
                <option value="any" ?selected=${v.tagMode === 'any'}>any tag</option>
                <option value="all" ?selected=${v.tagMode === 'all'}>all tags</option>
              </select></label
            >`
            : null
        }
      </fieldset>
      <fieldset>
        <legend>Due</legend>
        <div class="dates">
          <label>From <input class="input" type="date" .value=${v.dueAfter ?? ''} @change=${(e: Event) => this.change({ dueAfter: (e.target as HTMLInputElement).value || null })} /></label>
          <label>To <input class="input" type="date" .value=${v.dueBefore ?? ''} @change=${(e: Event) => this.change({ dueBefore: (e.target as HTMLInputElement).value || null })} /></label>
        </div>
      </fieldset>
      <fieldset class="checks">
        <legend>Show only</legend>
        <label><input type="checkbox" .checked=${v.overdue} @change=${(e: Event) => this.change({ overdue: (e.target as HTMLInputElement).checked })} /> Overdue</label>
        <label><input type="checkbox" .checked=${v.recurring} @change=${(e: Event) => this.change({ recurring: (e.target as HTMLInputElement).checked })} /> Recurring</label>
      </fieldset>
      <div class="actions">
        <button class="btn ghost" ?disabled=${!isFiltered({ ...v, q: '', status: 'open' })} @click=${() => this.change({ ...DEFAULT_VIEW, q: v.q, status: v.status, sort: v.sort })}>
          Clear filters
        </button>
      </div>
    </div>`;
  }

  private togglePriority(p: Priority) {
    const has = this.view.priority.includes(p);
    this.change({ priority: has ? this.view.priority.filter((x) => x !== p) : [...this.view.priority, p] });
  }

  private toggleTag(tag: string) {
    const has = this.view.tags.includes(tag);
    this.change({ tags: has ? this.view.tags.filter((x) => x !== tag) : [...this.view.tags, tag] });
  }

  private change(patch: Partial<ViewState>) {
    this.dispatchEvent(new CustomEvent<ViewState>('view-change', { detail: { ...this.view, ...patch } }));
  }
}

/** How many filters beyond status and search narrow the list, for the badge on the Filters button. */
function activeFilterCount(v: ViewState): number {
  return (
    (v.priority.length ? 1 : 0) +
    (v.tags.length ? 1 : 0) +
    (v.dueAfter || v.dueBefore ? 1 : 0) +
    (v.overdue ? 1 : 0) +
    (v.recurring ? 1 : 0)
  );
}
