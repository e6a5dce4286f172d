import { html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { modalStyles } from '../ui/modal-styles.js';
import { NavigateEvent } from '../ui/navigate.js';
import { SaveState } from '../ui/save-state.js';
import { controls } from '../ui/shared-styles.js';
import type { ProjectStore } from './project-store.js';
import { PROJECT_COLORS, type Project } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

/**
 * Creates a project, or edits one (`project` set): name, colour, and the folder it sits in (one level).
 * Dispatches `close`; a new project opens once created.
 */
@customElement('project-dialog')
export class ProjectDialog extends LitElement {
  static override styles = [controls, modalStyles];

  @property({ attribute: false }) api!: ProjectsApi;
  @property({ attribute: false }) projects!: ProjectStore;
  @property({ attribute: false }) project: Project | null = null;
  private readonly saving = new SaveState(this);
  @query('dialog') private dialog!: HTMLDialogElement;

  override firstUpdated(): void {
    this.dialog.showModal();
  }

  override render() {
    const p = this.project;
    const hasChildren = !!p && this.projects.items.some((c) => c.parentId === p.id);
    const folders = this.projects.items.filter(
      (f) => !f.inbox && !f.archived && !f.parentId && f.id !== p?.id && f.role === 'owner',
    );
    return html`<dialog aria-labelledby="project-title" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form @submit=${this.submit}>
        <h2 id="project-title">${p ? 'Edit project' : 'New project'}</h2>
        <label for="name">Name</label>
        <input id="name" name="name" class="input" required maxlength="120" .value=${p?.name ?? ''} autofocus />
        <fieldset style="border:0;padding:0;margin:12px 0 0">
          <legend style="font-weight:500;margin-bottom:4px">Colour</legend>
          <div style="display:flex;flex-wrap:wrap;gap:8px">
            ${PROJECT_COLORS.map(
              (
                c,
                i,
              ) => html`<label style="display:inline-flex;align-items:center;gap:4px;margin:0;font-weight:400">
                <input type="radio" name="color" value=${c.value} ?checked=${p ? p.color === c.value : i === 6} style="accent-color:${c.value}" />
                <span aria-hidden="true" style="width:12px;height:12px;border-radius:50%;background:${c.value}"></span>${c.name}
              </label>`,
            )}
          </div>
        </fieldset>
        ${
          hasChildren || p?.inbox
            ? nothing
            : html`<label for="parent">Folder</label>
              <select id="parent" name="parent" class="input">
                <option value="">None (top level)</option>
                ${folders.map((f) => html`<option value=${f.id} ?selected=${p?.parentId === f.id}>${f.name}</option>`)}
              </select>`
        }
        ${this.saving.error ? html`<p class="field-error" role="alert">${this.saving.error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>Cancel</button>
          <button class="btn primary" ?disabled=${this.saving.busy}>${p ? 'Save' : 'Add project'}</button>
        </div>
      </form>
    </dialog>`;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    if (!name) {
      this.saving.fail('Give the project a name.');
      return;
    }
    const input = {
      name,
      color: String(form.get('color') ?? PROJECT_COLORS[6].value),
      ...(form.has('parent') ? { parentId: String(form.get('parent')) || null } : {}),
    };
    await this.saving.run(async () => {
      const saved = this.project
        ? await this.api.update(this.project.id, input)
        : await this.api.create(input);
      this.projects.upsert(saved);
      if (!this.project) this.dispatchEvent(new NavigateEvent(`/projects/${encodeURIComponent(saved.id)}`));
      this.dialog.close();
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'project-dialog': ProjectDialog;
  }
}
