import { css, html, LitElement } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';
import { SHORTCUTS } from './keymap.js';

/** The `?` help: every shortcut with its keys. */
@customElement('shortcuts-dialog')
export class ShortcutsDialog extends LitElement {
  static override styles = [
    controls,
    css`
      dialog {
        border: 1px solid var(--border);
        border-radius: 12px;
        background: var(--surface);
        color: var(--text);
        box-shadow: var(--shadow-lg);
        padding: 0;
        width: min(440px, calc(100vw - 24px));
      }
      dialog::backdrop {
        background: rgb(15 18 23 / 45%);
      }
      .head {
        display: flex;
        align-items: center;
        padding: 12px 16px;
        border-bottom: 1px solid var(--border);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 17px;
      }
      dl {
        margin: 0;
        padding: 8px 16px 16px;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 8px 16px;
        align-items: center;
      }
      dt {
        display: flex;
        gap: 4px;
      }
      dd {
        margin: 0;
      }
      kbd {
        font: 12px var(--mono);
        padding: 2px 7px;
        border: 1px solid var(--border-strong);
        border-bottom-width: 2px;
        border-radius: 5px;
        background: var(--surface-2);
      }
    `,
  ];

  @query('dialog') private dialog!: HTMLDialogElement;

  override render() {
    return html`<dialog aria-labelledby="shortcuts-title">
      <div class="head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button class="btn ghost icon" aria-label="Close" @click=${() => this.dialog.close()}>${icons.close}</button>
      </div>
      <dl>
        ${SHORTCUTS.map((s) => html`<dt>${s.keys.map((k) => html`<kbd>${k}</kbd>`)}</dt><dd>${s.label}</dd>`)}
      </dl>
    </dialog>`;
  }

  async show(): Promise<void> {
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
  }
}
