import type { ImportFormat, ImportResult } from '@todo/contract';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { describeFailure } from '../api/errors.js';
import { controls } from '../ui/shared-styles.js';

/** What `POST /import` answers: what it created, and the lines it could not map. */
type ImportReport = ImportResult;

/** Each import format's media type, the body's Content-Type the API reads it by. */
const MEDIA_TYPES: Record<ImportFormat, string> = {
  json: 'application/json',
  'todoist-csv': 'text/csv',
  ics: 'text/calendar',
};

/** A project a Todoist CSV or iCalendar import can go into. */
export interface ImportTarget {
  id: string;
  name: string;
}

/** Formats whose files name no project: they go into the Inbox or the project picked. */
const TARGETED: ReadonlySet<ImportFormat> = new Set(['todoist-csv', 'ics']);

/** The format a file's name suggests; the user can still choose another. */
export function formatOf(name: string): ImportFormat {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'csv' ? 'todoist-csv' : ext === 'ics' || ext === 'ical' ? 'ics' : 'json';
}

/**
 * The contract's IMPORT_MAX_BYTES (16 MiB), restated because the console imports no zod-backed values:
 * a larger file is refused here before it is uploaded rather than after.
 */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Settings → Import and export: downloads of the user's projects and tasks (JSON, re-importable; CSV), and
 * an import of our JSON, Todoist's CSV or iCalendar VTODOs, with upload progress and the server's report.
 */
@customElement('import-export')
export class ImportExport extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 16px;
        margin: 0 0 6px;
      }
      h3 {
        font-size: 14px;
        margin: 14px 0 6px;
      }
      p {
        margin: 0 0 10px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      select.input {
        width: auto;
      }
      progress {
        width: 100%;
        height: 10px;
      }
      ul {
        margin: 4px 0 0;
        padding-left: 20px;
        max-height: 200px;
        overflow: auto;
      }
    `,
  ];

  @property({ attribute: false }) client!: ApiClient;
  /** The projects besides the Inbox an import may go into. */
  @property({ attribute: false }) projects: readonly ImportTarget[] = [];
  /** The project picked for a Todoist CSV or iCalendar import; '' for the Inbox. */
  @state() private target = '';
  @state() private file: File | null = null;
  @state() private format: ImportFormat = 'json';
  /** Upload progress 0–1, or 1 while the server works; null when idle. */
  @state() private progress: number | null = null;
  @state() private report: ImportReport | null = null;
  @state() private error = '';
  @state() private exporting = false;

  override render() {
    const busy = this.progress !== null;
    return html`<h2>Import and export</h2>
      <h3>Export</h3>
      <p class="muted">Your projects and tasks. JSON keeps everything and can be imported again; CSV opens in a spreadsheet.</p>
      <div class="row">
        <button class="btn" ?disabled=${this.exporting} @click=${() => this.download('json')}>Download JSON</button>
        <button class="btn" ?disabled=${this.exporting} @click=${() => this.download('csv')}>Download CSV</button>
      </div>
      <h3>Import</h3>
      <p class="muted">
        A JSON export from here, Todoist's CSV template export, or an iCalendar (.ics) file of tasks. A Todoist or
        iCalendar file goes into the project you choose (Todoist's sections become tags). Importing the same file
        twice adds nothing; a file with a problem imports nothing.
      </p>
      <div class="row">
        <input type="file" aria-label="File to import" accept=".json,.csv,.ics,application/json,text/csv,text/calendar" ?disabled=${busy} @change=${this.pick} />
        <select class="input" aria-label="Format of the file" .value=${this.format} ?disabled=${busy} @change=${(e: Event) => (this.format = (e.target as HTMLSelectElement).value as ImportFormat)}>
          <option value="json" ?selected=${this.format === 'json'}>JSON export</option>
          <option value="todoist-csv" ?selected=${this.format === 'todoist-csv'}>Todoist CSV</option>
          <option value="ics" ?selected=${this.format === 'ics'}>iCalendar</option>
        </select>
        ${
          TARGETED.has(this.format)
            ? html`<select class="input" aria-label="Project to import into" .value=${this.target} ?disabled=${busy} @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${this.target === ''}>Inbox</option>
                ${this.projects.map((p) => html`<option value=${p.id} ?selected=${this.target === p.id}>${p.name}</option>`)}
              </select>`
            : nothing
        }
        <button class="btn primary" ?disabled=${!this.file || busy} @click=${this.import}>Import</button>
      </div>
      ${
        busy
          ? html`<p style="margin-top:10px">
              <label for="import-progress">${this.progress! < 1 ? `Uploading… ${Math.round(this.progress! * 100)} %` : 'Importing…'}</label>
              ${
                this.progress! < 1
                  ? html`<progress id="import-progress" max="1" .value=${this.progress!}></progress>`
                  : html`<progress id="import-progress"></progress>`
              }
            </p>`
          : nothing
      }
      <div role="status" aria-live="polite">${this.renderReport()}</div>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}`;
  }

  private renderReport() {
    const r = this.report;
    if (!r) return nothing;
    const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    return html`<p style="margin-top:10px">
        Imported ${plural(r.created.tasks, 'task')} and ${plural(r.created.projects, 'project')}${r.skipped.length ? html`; ${plural(r.skipped.length, 'line')} skipped:` : '.'}
      </p>
      ${r.skipped.length ? html`<ul aria-label="Skipped lines">${r.skipped.map((s) => html`<li>Line ${s.line}: ${s.reason}</li>`)}</ul>` : nothing}`;
  }

  private pick(e: Event) {
    this.file = (e.target as HTMLInputElement).files?.[0] ?? null;
    this.report = null;
    this.error = '';
    if (this.file) this.format = formatOf(this.file.name);
  }

  private import = async () => {
    const file = this.file;
    if (!file) return;
    this.report = null;
    this.error = '';
    if (file.size > MAX_BYTES) {
      this.error = 'This file is larger than 16 MB. Split it and import the parts.';
      return;
    }
    this.progress = 0;
    try {
      const q = new URLSearchParams({ format: this.format });
      if (TARGETED.has(this.format) && this.target) q.set('projectId', this.target);
      this.report = await this.client.upload<ImportReport>(
        `/import?${q}`,
        file,
        MEDIA_TYPES[this.format],
        (f) => {
          this.progress = f;
        },
      );
      this.dispatchEvent(new CustomEvent('imported', { detail: this.report, bubbles: true, composed: true }));
    } catch (err) {
      this.error = `Nothing was imported: ${describeFailure(err)}`;
    } finally {
      this.progress = null;
    }
  };

  private async download(format: 'json' | 'csv') {
    this.exporting = true;
    this.error = '';
    try {
      const { blob, filename } = await this.client.download('/export', new URLSearchParams({ format }));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = filename ?? `todo-export.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      this.error = describeFailure(err);
    } finally {
      this.exporting = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'import-export': ImportExport;
  }
}
