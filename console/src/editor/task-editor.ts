import type { Priority, TagCount, Task, TaskInput } from '@todo/contract';
import { PRIORITIES } from '@todo/contract/constants';
import { zonedWallClockToInstant } from '@todo/recurrence';
import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, NetworkError, ProblemError } from '../api/errors.js';
import '../recurrence/recurrence-builder.js';
import { type BuilderValue, toBuilderValue, toRecurrence } from '../recurrence/builder-rule.js';
import { describeRecurrence } from '../recurrence/recurrence-summary.js';
import type { TasksApi } from '../tasks/tasks-api.js';
import { normaliseTags } from '../tasks/view-state.js';
import { isoDate, isoTime, isValidTimeZone, parseWallTime, wallTimeAt } from '../time/zoned.js';
import '../ui/error-banner.js';
import { icons } from '../ui/icons.js';
import { controls } from '../ui/shared-styles.js';
import { editorStyles } from './editor-styles.js';
import './reminder-list.js';
import type { ProjectStore } from '../projects/project-store.js';
import type { ProjectsApi } from '../projects/projects-api.js';
import { fromDraft, type ReminderDraft, toDraft } from './reminder-draft.js';
import '../projects/task-placement.js';

interface Form {
  title: string;
  description: string;
  dueDate: string;
  dueTime: string;
  timeZone: string;
  priority: Priority;
  tags: string[];
  reminders: ReminderDraft[];
  recurrence: BuilderValue | null;
  /** A stored rule the builder cannot show; kept unless the user replaces it. */
  customRule: Task['recurrence'];
}

/** The task editor dialog; loaded on first use. Emits `close`, `saved` (Task) and `deleted` (the Task, for Undo). */
@customElement('task-editor')
export class TaskEditor extends LitElement {
  static override styles = [controls, editorStyles];

  @property() taskId = '';
  @property({ attribute: false }) api!: TasksApi;
  @property({ attribute: false }) tags: TagCount[] = [];
  /** The task as the list last saw it, for when the server cannot be reached. */
  @property({ attribute: false }) cached: (id: string) => Task | undefined = () => undefined;
  @property({ attribute: false }) projectsApi!: ProjectsApi;
  @property({ attribute: false }) projects: ProjectStore | undefined;
  @state() private task: Task | null = null;
  @state() private form: Form | null = null;
  @state() private errors = new Map<string, string>();
  @state() private loadError: unknown = null;
  @state() private saveError = '';
  @state() private busy = false;
  /** The server answered 412: someone changed the task since it was opened. */
  @state() private stale = false;
  /** Showing the list's copy because the server could not be reached. */
  @state() private offline = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('taskId') && this.taskId) this.load();
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** A move or an assignment saves at once: the editor carries on from the new version, the shell shows it. */
  private onPlaced = (e: CustomEvent<Task>) => {
    this.task = e.detail;
    this.dispatchEvent(new CustomEvent('saved', { detail: e.detail }));
  };

  override render() {
    return html`<dialog aria-labelledby="editor-title" @cancel=${this.onCancel}>
      <div class="head">
        <h2 id="editor-title">Edit task</h2>
        <button class="btn ghost icon" aria-label="Close" @click=${this.close}>${icons.close}</button>
      </div>
      <div class="body">
        <error-banner .error=${this.loadError} @retry=${this.load}></error-banner>
        ${
          this.offline
            ? html`<p class="alert offline" role="status">
              ${icons.wifiOff} You are offline: this is the task as your list last saw it. Saving needs the server.
            </p>`
            : null
        }
        ${this.form ? this.renderForm(this.form) : this.loadError ? null : html`<p class="muted">Loading…</p>`}
      </div>
    </dialog>`;
  }

  private renderForm(f: Form) {
    const err = (path: string) => this.errors.get(path);
    const set = (patch: Partial<Form>) => (this.form = { ...f, ...patch });
    const value = (e: Event) => (e.target as HTMLInputElement).value;
    return html`<form id="task-form" @submit=${this.save} novalidate>
        ${
          this.saveError
            ? html`<p class="alert" role="alert">
              ${this.saveError}
              ${this.stale ? html`<button type="button" class="btn" @click=${this.load}>Load the latest version</button>` : null}
            </p>`
            : null
        }
        <label for="title">Title</label>
        <input id="title" class="input" .value=${f.title} @input=${(e: Event) => set({ title: value(e) })} aria-invalid=${invalid(err('title'))} aria-describedby="title-error" />
        ${errorText('title', err('title'))}
        <label for="description">Description</label>
        <textarea id="description" class="input" rows="3" .value=${f.description} @input=${(e: Event) => set({ description: value(e) })} aria-invalid=${invalid(err('description'))} aria-describedby="description-error"></textarea>
        ${errorText('description', err('description'))}
        <div class="cols">
          <div><label for="due-date">Due date</label>
            <input id="due-date" class="input" type="date" .value=${f.dueDate} @change=${(e: Event) => set({ dueDate: value(e) })} aria-invalid=${invalid(err('dueAt'))} aria-describedby="dueAt-error" /></div>
          <div><label for="due-time">Time</label>
            <input id="due-time" class="input" type="time" .value=${f.dueTime} @change=${(e: Event) => set({ dueTime: value(e) })} /></div>
          <div><label for="tz">Time zone</label>
            <input id="tz" class="input" list="zones" .value=${f.timeZone} @change=${(e: Event) => set({ timeZone: value(e).trim() })} aria-invalid=${invalid(err('timeZone'))} aria-describedby="timeZone-error" />
            <datalist id="zones">${timeZones().map((z) => html`<option value=${z}></option>`)}</datalist></div>
        </div>
        ${errorText('dueAt', err('dueAt'))}${errorText('timeZone', err('timeZone'))}
        <div class="cols">
          <div><label for="priority">Priority</label>
            <select id="priority" class="input" @change=${(e: Event) => set({ priority: value(e) as Priority })}>
              ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${f.priority === p}>${p}</option>`)}
            </select>${errorText('priority', err('priority'))}</div>
          <div class="wide"><label for="tag-input">Tags</label>
            <div class="tags">
              ${f.tags.map((t) => html`<span class="chip">#${t}<button type="button" class="x" aria-label="Remove tag ${t}" @click=${() => set({ tags: f.tags.filter((x) => x !== t) })}>×</button></span>`)}
              <input id="tag-input" class="input" list="known-tags" placeholder="Add tag, press Enter" @keydown=${this.onTagKey} @change=${this.onTagKey} aria-invalid=${invalid(err('tags'))} aria-describedby="tags-error" />
              <datalist id="known-tags">${this.tags.filter((t) => !f.tags.includes(t.name)).map((t) => html`<option value=${t.name}></option>`)}</datalist>
            </div>${errorText('tags', err('tags') ?? firstMatching(this.errors, 'tags.'))}</div>
          <task-placement class="wide" .task=${this.task} .tasksApi=${this.api} .projectsApi=${this.projectsApi} .projects=${this.projects} @placed=${this.onPlaced}></task-placement>
        </div>
        <h3>Reminders</h3>
        <reminder-list .value=${f.reminders} .errors=${this.errors} @change=${(e: CustomEvent<ReminderDraft[]>) => set({ reminders: e.detail })}></reminder-list>
        ${errorText('reminders', err('reminders'))}
        <h3>Recurrence</h3>
        ${
          f.customRule && !f.recurrence
            ? html`<p class="muted">Repeats ${describeRecurrence(f.customRule)}.
              <button type="button" class="btn ghost" @click=${() => set({ customRule: null })}>Replace</button></p>`
            : html`<recurrence-builder .value=${f.recurrence} @change=${(e: CustomEvent<BuilderValue | null>) => set({ recurrence: e.detail })}></recurrence-builder>`
        }
        ${errorText('recurrence', err('recurrence') ?? firstMatching(this.errors, 'recurrence.'))}
      </form>
      <footer>
        <button type="button" class="btn danger" @click=${this.deleteTask} ?disabled=${this.busy}>${icons.trash} Delete</button>
        <span class="spacer"></span>
        <button type="button" class="btn" @click=${this.close}>Cancel</button>
        <button type="submit" form="task-form" class="btn primary" ?disabled=${this.busy}>Save</button>
      </footer>`;
  }

  private load = async () => {
    this.loadError = null;
    this.form = null;
    try {
      this.show(await this.api.get(this.taskId));
      this.offline = false;
    } catch (err) {
      const copy = err instanceof NetworkError ? this.cached(this.taskId) : undefined;
      if (copy) {
        this.show(copy);
        this.offline = true;
      } else this.loadError = err;
    }
  };

  private show(task: Task) {
    this.task = task;
    this.form = toForm(task);
    this.errors = new Map();
    this.saveError = '';
    this.stale = false;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const f = this.form!;
    const errors = new Map<string, string>();
    if (!f.title.trim()) errors.set('title', 'A task needs a title.');
    if (!isValidTimeZone(f.timeZone))
      errors.set('timeZone', 'Choose a time zone from the list, like Europe/Paris.');
    const due = f.dueDate ? parseWallTime(f.dueDate, f.dueTime || '09:00') : null;
    if (f.dueDate && !due) errors.set('dueAt', 'Enter a valid date and time.');
    if (!due && f.reminders.some((r) => r.kind === 'before'))
      errors.set('reminders', 'Reminders before the due date need a due date.');
    this.errors = errors;
    if (errors.size) return;
    const patch: TaskInput = {
      title: f.title.trim(),
      description: f.description,
      priority: f.priority,
      tags: f.tags,
      timeZone: f.timeZone,
      dueAt: due ? zonedWallClockToInstant(due, f.timeZone).toISOString() : null,
      reminders: f.reminders.map((r) => fromDraft(r, f.timeZone)).filter((r) => r !== null),
      recurrence: f.recurrence ? toRecurrence(f.recurrence) : f.customRule,
    };
    this.busy = true;
    this.saveError = '';
    try {
      const saved = await this.api.update(this.task!.id, patch, this.task!.version);
      this.offline = false;
      this.dispatchEvent(new CustomEvent('saved', { detail: saved }));
      this.close();
    } catch (err) {
      if (err instanceof ProblemError && err.fieldErrors.length) {
        this.errors = err.byPath();
        this.saveError = 'Some fields need attention.';
      } else this.saveError = describeFailure(err);
      this.stale = err instanceof ProblemError && err.status === 412;
    } finally {
      this.busy = false;
    }
  }

  private deleteTask = async () => {
    // No confirmation: the list's toast offers Undo (the task goes to the Trash).
    if (!this.task) return;
    try {
      await this.api.remove(this.task.id);
      this.dispatchEvent(new CustomEvent('deleted', { detail: this.task }));
      this.close();
    } catch (err) {
      this.saveError = describeFailure(err);
    }
  };

  private onTagKey = (e: Event) => {
    if (e instanceof KeyboardEvent && e.key !== 'Enter' && e.key !== ',') return;
    e.preventDefault();
    const input = e.target as HTMLInputElement;
    const tags = normaliseTags([...this.form!.tags, input.value.replace(/^#/, '')]);
    this.form = { ...this.form!, tags };
    input.value = '';
  };

  private onCancel = (e: Event) => {
    e.preventDefault();
    this.close();
  };

  private close = () => {
    this.dialog.close();
    this.dispatchEvent(new Event('close'));
  };
}

function toForm(task: Task): Form {
  const due = task.dueAt ? wallTimeAt(new Date(task.dueAt), task.timeZone) : null;
  const model = task.recurrence ? toBuilderValue(task.recurrence) : null;
  return {
    title: task.title,
    description: task.description ?? '',
    dueDate: due ? isoDate(due) : '',
    dueTime: due ? isoTime(due) : '',
    timeZone: task.timeZone,
    priority: task.priority,
    tags: task.tags,
    reminders: task.reminders.map((r) => toDraft(r, task.timeZone)),
    recurrence: model,
    customRule: model ? null : task.recurrence,
  };
}

let zones: string[] | null = null;
function timeZones(): string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

function firstMatching(errors: Map<string, string>, prefix: string): string | undefined {
  for (const [path, message] of errors) if (path.startsWith(prefix)) return message;
  return undefined;
}

function invalid(message: string | undefined): 'true' | 'false' {
  return message ? 'true' : 'false';
}

function errorText(id: string, message: string | undefined) {
  return message ? html`<p class="field-error" id="${id}-error" role="alert">${message}</p>` : null;
}
