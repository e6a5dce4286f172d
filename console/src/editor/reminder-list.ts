import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';
import type { ReminderDraft } from './reminder-draft.js';

/** The API accepts at most this many reminders per task. */
const MAX_REMINDERS = 10;

/** Reminder rows, each "N minutes/hours/days before" or "at" a time; emits `change` with the rows. */
@customElement('reminder-list')
export class ReminderList extends LitElement {
  static override styles = [
    controls,
    css`
      ul {
        list-style: none;
        margin: 0 0 8px;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
      }
      .input {
        width: auto;
      }
      .narrow {
        width: 80px;
      }
    `,
  ];

  @property({ attribute: false }) value: ReminderDraft[] = [];
  /** Server field errors keyed by path, e.g. "reminders.0.before". */
  @property({ attribute: false }) errors = new Map<string, string>();

  override render() {
    return html`<ul aria-label="Reminders">
        ${this.value.map((r, i) => this.renderRow(r, i))}
      </ul>
      <button type="button" class="btn" ?disabled=${this.value.length >= MAX_REMINDERS} @click=${this.add}>
        ${icons.alarm} Add reminder
      </button>`;
  }

  private renderRow(r: ReminderDraft, i: number) {
    const error = [...this.errors].find(
      ([path]) => path === `reminders.${i}` || path.startsWith(`reminders.${i}.`),
    )?.[1];
    const n = i + 1;
    return html`<li>
      <div class="row">
        <select class="input" aria-label="Reminder ${n} type" @change=${(e: Event) => this.replace(i, (e.target as HTMLSelectElement).value === 'at' ? { kind: 'at', local: '' } : { kind: 'before', amount: 15, unit: 'minutes' })}>
          <option value="before" ?selected=${r.kind === 'before'}>Before due</option>
          <option value="at" ?selected=${r.kind === 'at'}>At a time</option>
        </select>
        ${
          r.kind === 'before'
            ? html`<input class="input narrow" type="number" min="1" aria-label="Reminder ${n} amount" .value=${String(r.amount)}
                @change=${(e: Event) => this.replace(i, { ...r, amount: Math.max(1, Math.floor(+(e.target as HTMLInputElement).value) || 1) })} />
              <select class="input" aria-label="Reminder ${n} unit" @change=${(e: Event) => this.replace(i, { ...r, unit: (e.target as HTMLSelectElement).value as 'minutes' })}>
                ${(['minutes', 'hours', 'days'] as const).map((u) => html`<option value=${u} ?selected=${r.unit === u}>${u} before</option>`)}
              </select>`
            : html`<input class="input" type="datetime-local" step="1" aria-label="Reminder ${n} time" .value=${r.local}
              @change=${(e: Event) => this.replace(i, { kind: 'at', local: (e.target as HTMLInputElement).value })} />`
        }
        <button type="button" class="btn ghost icon" aria-label="Remove reminder ${n}" @click=${() => this.emit(this.value.filter((_, j) => j !== i))}>
          ${icons.close}
        </button>
      </div>
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : null}
    </li>`;
  }

  private add = () => this.emit([...this.value, { kind: 'before', amount: 15, unit: 'minutes' }]);

  private replace(i: number, r: ReminderDraft) {
    this.emit(this.value.map((x, j) => (j === i ? r : x)));
  }

  private emit(value: ReminderDraft[]) {
    this.dispatchEvent(new CustomEvent('change', { detail: value }));
  }
}
