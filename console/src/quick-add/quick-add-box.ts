import type { TaskInput } from '@todo/contract';
import type { QuickAddDraft, QuickAddPhrase, QuickAddReminder } from '@todo/recurrence/quick-add';
import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, ProblemError } from '../api/errors.js';
import { formatDue } from '../time/format.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';

type LineParser = typeof import('./quick-add-parser.js').parseLine;

/** A project quick add can file a task into ("~errands", "in Errands"). */
export interface ProjectChoice {
  id: string;
  name: string;
}

/** What the box sends: a task, in a project when the line named one. */
export type QuickAddInput = TaskInput & { projectId?: string };

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
      button.chip {
        font: inherit;
        font-size: 12.5px;
        cursor: pointer;
      }
      button.chip:hover,
      button.chip:focus-visible {
        border-color: var(--accent);
      }
      .chip .x {
        color: var(--text-muted);
        font-weight: 700;
      }
      .chip svg.icon {
        width: 13px;
        height: 13px;
      }
    `,
  ];

  @property({ attribute: false }) create!: (input: QuickAddInput) => Promise<void>;
  @property() timeZone = 'UTC';
  /** Projects "~name" and "in Name" resolve to; without any, a named project cannot be added to. */
  @property({ attribute: false }) projects: ProjectChoice[] = [];
  @state() private draft: QuickAddDraft | null = null;
  /** Phrases the user clicked to keep as title text. */
  @state() private literal: string[] = [];
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
    if (d.title && d.phrases.length) chips.push(html`<li class="chip"><b>Title</b> ${d.title}</li>`);
    let reminder = 0;
    for (const phrase of d.phrases) {
      const meaning = this.describe(
        phrase,
        d,
        phrase.kind === 'reminder' ? d.reminders[reminder++] : undefined,
      );
      chips.push(html`<li>
        <button type="button" class="chip ${phrase.kind}" title="Keep “${phrase.text}” as text" aria-label="${meaning.label}, from “${phrase.text}”: keep as text" @click=${() => this.unparse(phrase)}>
          ${meaning.icon}${meaning.label}<span class="x" aria-hidden="true">×</span>
        </button>
      </li>`);
    }
    return chips;
  }

  /** What a parsed phrase means, in words for its chip. */
  private describe(phrase: QuickAddPhrase, d: QuickAddDraft, reminder: QuickAddReminder | undefined) {
    const now = new Date();
    switch (phrase.kind) {
      case 'date':
        return { icon: icons.clock, label: d.dueAt ? formatDue(d.dueAt, now, this.timeZone) : phrase.text };
      case 'recurrence':
        return { icon: icons.repeat, label: d.recurrenceSummary ?? phrase.text };
      case 'priority':
        return { icon: null, label: `Priority: ${d.priority}` };
      case 'project':
        return { icon: null, label: `Project: ${this.project(d)?.name ?? `${d.projectName} (not found)`}` };
      case 'reminder':
        return {
          icon: icons.alarm,
          label: !reminder
            ? phrase.text
            : 'before' in reminder
              ? `Remind ${describeBefore(reminder.before)}`
              : `Remind ${formatDue(reminder.remindAt, now, this.timeZone)}`,
        };
      default:
        return { icon: null, label: phrase.text };
    }
  }

  private project(d: QuickAddDraft): ProjectChoice | undefined {
    const name = d.projectName?.toLowerCase();
    return name ? this.projects.find((p) => p.name.toLowerCase() === name) : undefined;
  }

  /** The chip's words go back into the title, and the caret back into the box. */
  private unparse(phrase: QuickAddPhrase) {
    this.literal = [...this.literal, phrase.text];
    this.reparse();
    this.input.focus();
  }

  private reparse() {
    this.error = '';
    if (!this.input.value.trim()) this.literal = [];
    this.draft = this.parse?.(this.input.value, this.context()) ?? null;
  }

  private context() {
    const projects = this.projects.map((p) => p.name);
    return { now: new Date(), timeZone: this.timeZone, projects, literal: this.literal };
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
    const draft = this.parse(this.input.value, this.context());
    const error = this.problem(draft);
    if (error) {
      this.error = error;
      return;
    }
    const input: QuickAddInput = { title: draft.title, timeZone: this.timeZone, tags: draft.tags };
    if (draft.priority) input.priority = draft.priority;
    if (draft.dueAt) input.dueAt = draft.dueAt;
    if (draft.recurrence) input.recurrence = draft.recurrence;
    if (draft.reminders.length) input.reminders = draft.reminders;
    const project = this.project(draft);
    if (project) input.projectId = project.id;
    this.busy = true;
    try {
      await this.create(input);
      this.input.value = '';
      this.draft = null;
      this.literal = [];
    } catch (err) {
      this.error =
        err instanceof ProblemError && err.fieldErrors.length
          ? err.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')
          : describeFailure(err);
    } finally {
      this.busy = false;
    }
  }

  /** Why the line cannot become a task as it reads, said so the user can fix it; empty when it can. */
  private problem(d: QuickAddDraft): string {
    if (!d.title) return 'Give the task a title, not only a date or tags.';
    if (d.projectName && !this.project(d))
      return `There is no project “${d.projectName}”. Click its chip to keep it as text, or create the project first.`;
    if (!d.dueAt && d.reminders.some((r) => 'before' in r))
      return 'A reminder before the due date needs a due date: add one, like “tomorrow at 9am”.';
    return '';
  }
}

const UNITS: Record<string, [string, string]> = {
  M: ['minute', 'minutes'],
  H: ['hour', 'hours'],
  D: ['day', 'days'],
};

/** "PT15M" → "15 minutes before", for the durations quick add writes. */
function describeBefore(iso: string): string {
  const m = /^PT?(\d+)([MHD])$/.exec(iso);
  const unit = m && UNITS[m[2]!];
  if (!m || !unit) return `${iso} before`;
  const n = Number(m[1]);
  return `${n} ${unit[n === 1 ? 0 : 1]} before`;
}
