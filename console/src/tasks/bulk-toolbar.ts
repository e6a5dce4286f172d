import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controls } from '../ui/shared-styles.js';
import type { BulkAction } from './bulk-actions.js';

/** The toolbar shown while selecting tasks: complete, tag or delete the selection, or select all loaded. */
@customElement('bulk-toolbar')
export class BulkToolbar extends LitElement {
  static override styles = [
    controls,
    css`
      .bulk {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        padding: 8px 12px;
        border-bottom: 1px solid var(--border);
        background: var(--accent-soft);
      }
      .bulk form {
        display: flex;
        gap: 6px;
      }
      .bulk input {
        width: 130px;
      }
    `,
  ];

  /** How many tasks are selected; the actions are disabled at none. */
  @property({ type: Number }) count = 0;
  /** Runs an action on the selection; resolves once it is done (the tag field then empties). */
  @property({ attribute: false }) run!: (action: BulkAction) => Promise<void>;
  @property({ attribute: false }) selectAll!: () => void;

  override render() {
    const none = this.count === 0;
    return html`<div class="bulk" role="toolbar" aria-label="Bulk actions">
      <strong>${this.count} selected</strong>
      <button class="btn" ?disabled=${none} @click=${() => this.run({ kind: 'complete' })}>Complete</button>
      <form @submit=${this.addTag}>
        <input class="input" name="tag" aria-label="Tag to add" placeholder="tag" />
        <button class="btn" ?disabled=${none} type="submit">Add tag</button>
      </form>
      <button class="btn danger" ?disabled=${none} @click=${() => this.run({ kind: 'delete' })}>Delete</button>
      <button class="btn ghost" @click=${() => this.selectAll()}>Select all loaded</button>
    </div>`;
  }

  private addTag(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('tag') as HTMLInputElement;
    const tag = input.value.trim().toLowerCase().replace(/^#/, '');
    if (tag) this.run({ kind: 'tag', tag }).then(() => (input.value = ''));
  }
}
