import {
  DAY_NAMES,
  describeRecurrence,
  formatRuleParts,
  MONTH_NAMES,
  newRuleParts,
  WEEKDAYS,
  type Weekday,
} from '@todo/recurrence';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isoDate } from '../time/zoned.js';
import { controls } from '../ui/shared-styles.js';
import {
  BUILDER_FREQUENCIES,
  type BuilderFrequency,
  type BuilderValue,
  defaultBuilderValue,
  type MonthlyChoice,
  monthlyChoice,
} from './builder-rule.js';

const UNITS: Record<BuilderFrequency, string> = {
  DAILY: 'day',
  WEEKLY: 'week',
  MONTHLY: 'month',
  YEARLY: 'year',
};
const shortName = (name: string) => name.slice(0, 3);
const NTH_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };

/** Edits a recurrence (or none) with a live English summary; emits `change` with the value or null. */
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

  @property({ attribute: false }) value: BuilderValue | null = null;

  override render() {
    const v = this.value;
    return html`<div class="grid">
      <div class="line">
        <label for="freq">Repeat</label>
        <select id="freq" class="input" @change=${this.onFrequency}>
          <option value="" ?selected=${!v}>Does not repeat</option>
          ${BUILDER_FREQUENCIES.map(
            (f) =>
              html`<option value=${f.toLowerCase()} ?selected=${v?.parts.freq === f}>${f[0]}${f.slice(1).toLowerCase()}</option>`,
          )}
        </select>
        ${
          v
            ? html`<label for="interval">every</label>
              <input id="interval" class="input narrow" type="number" min="1" max="999" .value=${String(v.parts.interval)}
                @change=${(e: Event) => this.patch({ interval: Math.max(1, Math.min(999, Math.floor(+(e.target as HTMLInputElement).value) || 1)) })} />
              <span>${UNITS[v.parts.freq as BuilderFrequency]}${v.parts.interval > 1 ? 's' : ''}</span>`
            : null
        }
      </div>
      ${v ? this.renderDetails(v) : null}
    </div>`;
  }

  private renderDetails(v: BuilderValue) {
    const p = v.parts;
    const end = p.count !== undefined ? 'count' : p.until ? 'until' : 'never';
    const untilDate = p.until ? isoDate(p.until.wallClock) : '';
    return html`
      ${p.freq === 'WEEKLY' ? this.renderWeekdays(v) : null}
      ${p.freq === 'MONTHLY' ? this.renderMonthly(v) : null}
      ${p.freq === 'YEARLY' ? this.renderYearly(v) : null}
      <fieldset>
        <legend>Ends</legend>
        <label class="radio"><input type="radio" name="end" .checked=${end === 'never'} @change=${() => this.patch({ count: undefined, until: undefined })} /> Never</label>
        <label class="radio"><input type="radio" name="end" .checked=${end === 'count'} @change=${() => this.patch({ count: 10, until: undefined })} /> After
          <input class="input narrow" type="number" min="1" max="1000" aria-label="Number of occurrences" .value=${String(p.count ?? 10)}
            ?disabled=${end !== 'count'} @change=${(e: Event) => this.patch({ count: Math.max(1, Math.min(1000, +(e.target as HTMLInputElement).value || 1)) })} /> times</label>
        <label class="radio"><input type="radio" name="end" .checked=${end === 'until'} @change=${() => this.setUntil(defaultUntil())} /> On
          <input class="input" style="width:auto" type="date" aria-label="Last date" .value=${untilDate}
            ?disabled=${end !== 'until'} @change=${(e: Event) => this.setUntil((e.target as HTMLInputElement).value)} /></label>
      </fieldset>
      <fieldset>
        <legend>Next one is counted from</legend>
        <label class="radio"><input type="radio" name="from" .checked=${v.from === 'due'} @change=${() => this.emit({ ...v, from: 'due' })} /> The due date</label>
        <label class="radio"><input type="radio" name="from" .checked=${v.from === 'completion'} @change=${() => this.emit({ ...v, from: 'completion' })} /> When I complete it</label>
      </fieldset>
      <p class="summary" aria-live="polite">Repeats ${describeRecurrence(formatRuleParts(p), v.from)}</p>`;
  }

  private renderWeekdays(v: BuilderValue) {
    const chosen = new Set(v.parts.byDay.map((d) => d.weekday));
    return html`<div class="days" role="group" aria-label="Repeat on">
      ${WEEKDAYS.map(
        (d) =>
          html`<button type="button" aria-pressed=${chosen.has(d)} @click=${() => this.toggleDay(d)}>${shortName(DAY_NAMES[d])}</button>`,
      )}
    </div>`;
  }

  private renderMonthly(v: BuilderValue) {
    const choice = monthlyChoice(v.parts);
    const day = choice === 'day' ? v.parts.byMonthDay[0]! : 1;
    const nth = v.parts.byDay[0]?.n ?? 1;
    const weekday = v.parts.byDay[0]?.weekday ?? 'MO';
    const choose = (next: MonthlyChoice, value = 1, nthValue = 1, weekdayValue: Weekday = 'MO') =>
      this.patch({
        byMonthDay: next === 'day' ? [value] : next === 'last-day' ? [-1] : [],
        byDay: next === 'weekday' ? [{ weekday: weekdayValue, n: nthValue }] : [],
      });
    return html`<fieldset>
      <legend>On</legend>
      <label class="radio"><input type="radio" name="monthly" .checked=${choice === 'due-day'} @change=${() => choose('due-day')} /> The same day as the due date</label>
      <label class="radio"><input type="radio" name="monthly" .checked=${choice === 'day'} @change=${() => choose('day')} /> Day
        <input class="input narrow" type="number" min="1" max="31" aria-label="Day of the month" ?disabled=${choice !== 'day'}
          .value=${String(day)} @change=${(e: Event) => choose('day', clamp(+(e.target as HTMLInputElement).value, 1, 31))} /></label>
      <label class="radio"><input type="radio" name="monthly" .checked=${choice === 'last-day'} @change=${() => choose('last-day')} /> The last day</label>
      <label class="radio"><input type="radio" name="monthly" .checked=${choice === 'weekday'} @change=${() => choose('weekday')} /> The
        <select class="input" aria-label="Which week" ?disabled=${choice !== 'weekday'}
          @change=${(e: Event) => choose('weekday', 1, +(e.target as HTMLSelectElement).value, weekday)}>
          ${[1, 2, 3, 4, -1].map((n) => html`<option value=${n} ?selected=${choice === 'weekday' && nth === n}>${NTH_WORDS[n]}</option>`)}
        </select>
        <select class="input" aria-label="Weekday" ?disabled=${choice !== 'weekday'}
          @change=${(e: Event) => choose('weekday', 1, nth, (e.target as HTMLSelectElement).value as Weekday)}>
          ${WEEKDAYS.map((d) => html`<option value=${d} ?selected=${choice === 'weekday' && weekday === d}>${shortName(DAY_NAMES[d])}</option>`)}
        </select></label>
    </fieldset>`;
  }

  private renderYearly(v: BuilderValue) {
    const month = v.parts.byMonth[0];
    const day = v.parts.byMonthDay[0] ?? 1;
    const onDate = month !== undefined;
    const setDate = (m: number, d: number) => this.patch({ byMonth: [m], byMonthDay: [d] });
    return html`<fieldset>
      <legend>On</legend>
      <label class="radio"><input type="radio" name="yearly" .checked=${!onDate} @change=${() => this.patch({ byMonth: [], byMonthDay: [] })} /> The due date's anniversary</label>
      <label class="radio"><input type="radio" name="yearly" .checked=${onDate} @change=${() => setDate(1, 1)} />
        <select class="input" aria-label="Month" ?disabled=${!onDate} @change=${(e: Event) => setDate(+(e.target as HTMLSelectElement).value, day)}>
          ${MONTH_NAMES.map((name, i) => html`<option value=${i + 1} ?selected=${month === i + 1}>${shortName(name)}</option>`)}
        </select>
        <input class="input narrow" type="number" min="1" max="31" aria-label="Day" ?disabled=${!onDate} .value=${String(day)}
          @change=${(e: Event) => setDate(month ?? 1, clamp(+(e.target as HTMLInputElement).value, 1, 31))} /></label>
    </fieldset>`;
  }

  private onFrequency(e: Event) {
    const freq = (e.target as HTMLSelectElement).value.toUpperCase() as BuilderFrequency | '';
    if (!freq) return this.emit(null);
    const base = this.value ?? defaultBuilderValue();
    // A new frequency keeps the interval, the ending and the weekdays of a weekly rule, nothing else.
    const { interval, count, until } = base.parts;
    const byDay = freq === 'WEEKLY' && base.parts.freq === 'WEEKLY' ? base.parts.byDay : [];
    this.emit({ ...base, parts: newRuleParts(freq, { interval, count, until, byDay }) });
  }

  private toggleDay(day: Weekday) {
    const chosen = new Set(this.value!.parts.byDay.map((d) => d.weekday));
    if (chosen.has(day)) chosen.delete(day);
    else chosen.add(day);
    this.patch({ byDay: WEEKDAYS.filter((d) => chosen.has(d)).map((weekday) => ({ weekday })) });
  }

  private setUntil(date: string) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!match) return;
    const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
    // The whole last day counts: its end in UTC, as RFC 5545 wants UNTIL beside a zoned start.
    this.patch({
      count: undefined,
      until: { wallClock: { year, month, day, hour: 23, minute: 59, second: 59 }, utc: true },
    });
  }

  private patch(parts: Partial<BuilderValue['parts']>) {
    if (this.value) this.emit({ ...this.value, parts: { ...this.value.parts, ...parts } });
  }

  private emit(value: BuilderValue | null) {
    this.value = value;
    this.dispatchEvent(new CustomEvent('change', { detail: value }));
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n) || min));
}

function defaultUntil(): string {
  return new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
}
