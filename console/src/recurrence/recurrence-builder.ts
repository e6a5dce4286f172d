import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controls } from '../ui/shared-styles.js';
import {
  defaultRecurrence,
  type Frequency,
  type MonthlyPattern,
  type RecurrenceModel,
  WEEKDAYS,
  type Weekday,
} from './recurrence-model.js';
import { summarize } from './recurrence-summary.js';

const UNITS: Record<Frequency, string> = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' };
const DAY_SHORT: Record<Weekday, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Edits a recurrence (or none) with a live English summary; emits `change` with the model or null. */
@customElement('recurrence-builder')
export class RecurrenceBuilder extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        gap: 10px;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .input.narrow {
        width: 76px;
      }
      select.input {
        width: auto;
      }
      .days {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .days button {
        min-width: 46px;
        min-height: 32px;
        border: 1px solid var(--border-strong);
        border-radius: var(--radius-sm);
        background: var(--surface);
        cursor: pointer;
      }
      .days button[aria-pressed='true'] {
        background: var(--accent);
        border-color: var(--accent);
        color: var(--on-accent);
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 6px;
      }
      legend {
        font-size: 13px;
        font-weight: 600;
        padding: 0;
        margin-bottom: 4px;
      }
      label.radio {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .summary {
        margin: 0;
        padding: 8px 10px;
        border-radius: var(--radius-sm);
        background: var(--accent-soft);
        font-weight: 500;
      }
    `,
  ];

  @property({ attribute: false }) value: RecurrenceModel | null = null;

  override render() {
    const m = this.value;
    return html`<div class="grid">
      <div class="line">
        <label for="freq">Repeat</label>
        <select id="freq" class="input" @change=${this.onFrequency}>
          <option value="" ?selected=${!m}>Does not repeat</option>
          ${(Object.keys(UNITS) as Frequency[]).map(
            (f) =>
              html`<option value=${f} ?selected=${m?.frequency === f}>${f[0]!.toUpperCase()}${f.slice(1)}</option>`,
          )}
        </select>
        ${
          m
            ? html`<label for="interval">every</label>
              <input id="interval" class="input narrow" type="number" min="1" max="999" .value=${String(m.interval)}
                @change=${(e: Event) => this.patch({ interval: Math.max(1, Math.floor(+(e.target as HTMLInputElement).value) || 1) })} />
              <span>${UNITS[m.frequency]}${m.interval > 1 ? 's' : ''}</span>`
            : null
        }
      </div>
      ${m ? this.renderDetails(m) : null}
    </div>`;
  }

  private renderDetails(m: RecurrenceModel) {
    return html`
      ${m.frequency === 'weekly' ? this.renderWeekdays(m) : null}
      ${m.frequency === 'monthly' ? this.renderMonthly(m) : null}
      ${m.frequency === 'yearly' ? this.renderYearly(m) : null}
      <fieldset>
        <legend>Ends</legend>
        <label class="radio"><input type="radio" name="end" .checked=${m.end.kind === 'never'} @change=${() => this.patch({ end: { kind: 'never' } })} /> Never</label>
        <label class="radio"><input type="radio" name="end" .checked=${m.end.kind === 'count'} @change=${() => this.patch({ end: { kind: 'count', count: 10 } })} /> After
          <input class="input narrow" type="number" min="1" aria-label="Number of occurrences" .value=${String(m.end.kind === 'count' ? m.end.count : 10)}
            ?disabled=${m.end.kind !== 'count'} @change=${(e: Event) => this.patch({ end: { kind: 'count', count: Math.max(1, +(e.target as HTMLInputElement).value || 1) } })} /> times</label>
        <label class="radio"><input type="radio" name="end" .checked=${m.end.kind === 'until'} @change=${() => this.patch({ end: { kind: 'until', date: defaultUntil() } })} /> On
          <input class="input" style="width:auto" type="date" aria-label="Last date" .value=${m.end.kind === 'until' ? m.end.date : ''}
            ?disabled=${m.end.kind !== 'until'} @change=${(e: Event) => (e.target as HTMLInputElement).value && this.patch({ end: { kind: 'until', date: (e.target as HTMLInputElement).value } })} /></label>
      </fieldset>
      <fieldset>
        <legend>Next one is counted from</legend>
        <label class="radio"><input type="radio" name="from" .checked=${m.from === 'due'} @change=${() => this.patch({ from: 'due' })} /> The due date</label>
        <label class="radio"><input type="radio" name="from" .checked=${m.from === 'completion'} @change=${() => this.patch({ from: 'completion' })} /> When I complete it</label>
      </fieldset>
      <p class="summary" aria-live="polite">Repeats ${summarize(m)}</p>`;
  }

  private renderWeekdays(m: RecurrenceModel) {
    return html`<div class="days" role="group" aria-label="Repeat on">
      ${WEEKDAYS.map(
        (d) =>
          html`<button type="button" aria-pressed=${m.weekdays.includes(d)} @click=${() => this.toggleDay(d)}>${DAY_SHORT[d]}</button>`,
      )}
    </div>`;
  }

  private renderMonthly(m: RecurrenceModel) {
    const p = m.monthly;
    const setPattern = (monthly: MonthlyPattern | null) => this.patch({ monthly });
    return html`<fieldset>
      <legend>On</legend>
      <label class="radio"><input type="radio" name="monthly" .checked=${!p} @change=${() => setPattern(null)} /> The same day as the due date</label>
      <label class="radio"><input type="radio" name="monthly" .checked=${p?.kind === 'day'} @change=${() => setPattern({ kind: 'day', day: 1 })} /> Day
        <input class="input narrow" type="number" min="1" max="31" aria-label="Day of the month" ?disabled=${p?.kind !== 'day'}
          .value=${String(p?.kind === 'day' ? p.day : 1)} @change=${(e: Event) => setPattern({ kind: 'day', day: clamp(+(e.target as HTMLInputElement).value, 1, 31) })} /></label>
      <label class="radio"><input type="radio" name="monthly" .checked=${p?.kind === 'last-day'} @change=${() => setPattern({ kind: 'last-day' })} /> The last day</label>
      <label class="radio"><input type="radio" name="monthly" .checked=${p?.kind === 'weekday'} @change=${() => setPattern({ kind: 'weekday', nth: 1, weekday: 'MO' })} /> The
        <select class="input" aria-label="Which week" ?disabled=${p?.kind !== 'weekday'}
          @change=${(e: Event) => p?.kind === 'weekday' && setPattern({ ...p, nth: +(e.target as HTMLSelectElement).value as 1 | 2 | 3 | 4 | -1 })}>
          ${[1, 2, 3, 4, -1].map((n) => html`<option value=${n} ?selected=${p?.kind === 'weekday' && p.nth === n}>${n === -1 ? 'last' : ['first', 'second', 'third', 'fourth'][n - 1]}</option>`)}
        </select>
        <select class="input" aria-label="Weekday" ?disabled=${p?.kind !== 'weekday'}
          @change=${(e: Event) => p?.kind === 'weekday' && setPattern({ ...p, weekday: (e.target as HTMLSelectElement).value as Weekday })}>
          ${WEEKDAYS.map((d) => html`<option value=${d} ?selected=${p?.kind === 'weekday' && p.weekday === d}>${DAY_SHORT[d]}</option>`)}
        </select></label>
    </fieldset>`;
  }

  private renderYearly(m: RecurrenceModel) {
    const y = m.yearly;
    return html`<fieldset>
      <legend>On</legend>
      <label class="radio"><input type="radio" name="yearly" .checked=${!y} @change=${() => this.patch({ yearly: null })} /> The due date's anniversary</label>
      <label class="radio"><input type="radio" name="yearly" .checked=${!!y} @change=${() => this.patch({ yearly: { month: 1, day: 1 } })} />
        <select class="input" aria-label="Month" ?disabled=${!y} @change=${(e: Event) => y && this.patch({ yearly: { ...y, month: +(e.target as HTMLSelectElement).value } })}>
          ${MONTHS.map((name, i) => html`<option value=${i + 1} ?selected=${y?.month === i + 1}>${name}</option>`)}
        </select>
        <input class="input narrow" type="number" min="1" max="31" aria-label="Day" ?disabled=${!y} .value=${String(y?.day ?? 1)}
          @change=${(e: Event) => y && this.patch({ yearly: { ...y, day: clamp(+(e.target as HTMLInputElement).value, 1, 31) } })} /></label>
    </fieldset>`;
  }

  private onFrequency(e: Event) {
    const f = (e.target as HTMLSelectElement).value as Frequency | '';
    if (!f) return this.emit(null);
    const base = this.value ?? defaultRecurrence();
    this.emit({
      ...base,
      frequency: f,
      weekdays: f === 'weekly' ? base.weekdays : [],
      monthly: null,
      yearly: null,
    });
  }

  private toggleDay(d: Weekday) {
    const m = this.value!;
    this.patch({ weekdays: m.weekdays.includes(d) ? m.weekdays.filter((x) => x !== d) : [...m.weekdays, d] });
  }

  private patch(patch: Partial<RecurrenceModel>) {
    if (this.value) this.emit({ ...this.value, ...patch });
  }

  private emit(value: RecurrenceModel | null) {
    this.value = value;
    this.dispatchEvent(new CustomEvent('change', { detail: value }));
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n) || min));
}

function defaultUntil(): string {
  const d = new Date(Date.now() + 90 * 86_400_000);
  return d.toISOString().slice(0, 10);
}
