import type { TaskInput } from '@todo/contract';
import type { QuickAddDraft } from '@todo/recurrence/quick-add';
import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, ProblemError } from '../api/errors.js';
import { formatDue } from '../time/format.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';

type LineParser = (text: string, now: Date, timeZone: string) => QuickAddDraft;

let lineParser: Promise<LineParser> | null = null;
/** The parser is heavy (chrono-node, rrule): fetch it after first paint, or on first use. */
function loadParser(): Promise<LineParser> {
  lineParser ??= import('./quick-add-parser.js').then((m) => m.parseLine);
  return lineParser;
}

/** One text box that turns natural language into a task, showing what it understood as chips. */
@customElement('quick-add-box')
export class QuickAddBox extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        gap: 8px;
      }
      .field {
        position: relative;
        flex: 1;
        min-width: 0;
      }
      .field svg {
        position: absolute;
        left: 12px;
        top: 50%;
        transform: translateY(-50%);
        color: var(--accent);
      }
      .field .input {
        min-height: 44px;
        padding-left: 38px;
        font-size: 16px;
        box-shadow: var(--shadow);
      }
      .btn.primary {
        min-height: 44px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        min-height: 0;
        margin: 8px 0 0;
        padding: 0;
        list-style: none;
      }
      .chips:empty {
        display: none;
      }
      .chip b {
        font-weight: 600;
      }
      .chip.priority {
        border-color: var(--p-high);
      }
      .chip svg.icon {
        width: 13px;
        height: 13px;
      }
    `,
  ];

  @property({ attribute: false }) create!: (input: TaskInput) => Promise<void>;
  @property() timeZone = 'UTC';
  @state() private draft: QuickAddDraft | null = null;
  @state() private error = '';
  @state() private busy = false;
  @query('input') private input!: HTMLInputElement;
  private parse: LineParser | undefined;

  override firstUpdated(): void {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200));
    idle(() =>
      loadParser().then((parse) => {
        this.parse = parse;
        if (this.input.value) this.reparse();
      }),
    );
  }

  override render() {
    return html`<form @submit=${this.submit}>
        <div class="field">
          ${icons.plus}
          <input
            class="input"
            aria-label="Add a task"
            placeholder="Add a task: “Pay rent every month on the 1st at 9am #home !high”"
            autocomplete="off"
            aria-describedby="parsed"
            aria-invalid=${this.error ? 'true' : 'false'}
            @input=${this.reparse}
          />
        </div>
        <button class="btn primary" type="submit" ?disabled=${this.busy}>Add</button>
      </form>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : null}
      <ul class="chips" id="parsed" aria-label="Parsed details" aria-live="polite">${this.renderChips()}</ul>`;
  }

  /** Puts the caret in the box (the `n` shortcut). */
  override focus(): void {
    this.input?.focus();
  }

  private renderChips() {
    const d = this.draft;
    if (!d || !this.input?.value.trim()) return null;
    const chips = [];
    if (d.title && (d.dueAt || d.recurrence || d.tags.length || d.priority)) {
      chips.push(html`<li class="chip"><b>Title</b> ${d.title}</li>`);
    }
    if (d.dueAt)
      chips.push(html`<li class="chip">${icons.clock} ${formatDue(d.dueAt, new Date(), this.timeZone)}</li>`);
    if (d.recurrenceSummary) chips.push(html`<li class="chip">${icons.repeat} ${d.recurrenceSummary}</li>`);
    for (const tag of d.tags) chips.push(html`<li class="chip">#${tag}</li>`);
    if (d.priority) chips.push(html`<li class="chip priority">Priority: ${d.priority}</li>`);
    return chips;
  }

  private reparse() {
    this.error = '';
    this.draft = this.parse?.(this.input.value, new Date(), this.timeZone) ?? null;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (!this.input.value.trim()) return;
    try {
      this.parse ??= await loadParser();
    } catch (err) {
      this.error = describeFailure(err);
      return;
    }
    const draft = this.parse(this.input.value, new Date(), this.timeZone);
    if (!draft.title) {
      this.error = 'Give the task a title, not only a date or tags.';
      return;
    }
    const input: TaskInput = { title: draft.title, timeZone: this.timeZone, tags: draft.tags };
    if (draft.priority) input.priority = draft.priority;
    if (draft.dueAt) input.dueAt = draft.dueAt;
    if (draft.recurrence) input.recurrence = draft.recurrence;
    this.busy = true;
    try {
      await this.create(input);
      this.input.value = '';
      this.draft = null;
    } catch (err) {
      this.error =
        err instanceof ProblemError && err.fieldErrors.length
          ? err.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')
          : describeFailure(err);
    } finally {
      this.busy = false;
    }
  }
}
