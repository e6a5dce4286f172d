import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeFailure, ProblemError } from '../api/errors.js';
import { modalStyles } from '../ui/modal-styles.js';
import { controls } from '../ui/shared-styles.js';
import { type Member, memberName, type Project, type ProjectRole } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

/**
 * A project's members: the owner invites by email as editor or viewer, changes roles and removes members;
 * anyone else can leave. Dispatches `close`, `members` (the list, after every change) and `left`.
 */
@customElement('share-dialog')
export class ShareDialog extends LitElement {
  static override styles = [
    controls,
    modalStyles,
    css`
      ul {
        list-style: none;
        margin: 0 0 12px;
        padding: 0;
      }
      li {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 8px 0;
        border-bottom: 1px solid var(--border);
      }
      .who {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .who small {
        display: block;
        color: var(--text-muted);
      }
      select.input {
        width: auto;
      }
      form.invite {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        padding: 0;
      }
      form.invite input {
        flex: 1 1 200px;
      }
    `,
  ];

  @property({ attribute: false }) api!: ProjectsApi;
  @property({ attribute: false }) project!: Project;
  @property() userId = '';
  @state() private members: Member[] = [];
  @state() private error = '';
  @state() private status = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  override firstUpdated(): void {
    this.dialog.showModal();
    this.run(async () => this.api.members(this.project.id));
  }

  override render() {
    const owner = this.project.role === 'owner';
    return html`<dialog aria-labelledby="share-title" @close=${() => this.dispatchEvent(new Event('close'))}>
      <div class="body">
        <h2 id="share-title">Share “${this.project.name}”</h2>
        <ul aria-label="Members">
          ${this.members.map((m) => this.renderMember(m, owner))}
        </ul>
        ${
          owner
            ? html`<form class="invite" @submit=${this.invite}>
                <input class="input" type="email" name="email" required aria-label="Email to invite" placeholder="name@example.com" />
                <select class="input" name="role" aria-label="Role of the invited member">
                  <option value="editor">Editor</option>
                  <option value="viewer">Viewer</option>
                </select>
                <button class="btn primary" ?disabled=${this.busy}>Invite</button>
              </form>`
            : html`<button class="btn danger" ?disabled=${this.busy} @click=${this.leave}>Leave project</button>`
        }
        ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
        <p class="muted" role="status">${this.status}</p>
        <div class="actions"><button class="btn" @click=${() => this.dialog.close()}>Done</button></div>
      </div>
    </dialog>`;
  }

  private renderMember(m: Member, owner: boolean) {
    const label = memberName(m);
    const editable = owner && m.role !== 'owner';
    return html`<li>
      <span class="who">${label}${m.userId === this.userId ? ' (you)' : ''}${m.email ? html`<small>${m.email}</small>` : nothing}</span>
      ${
        editable
          ? html`<select class="input" aria-label="Role of ${label}" .value=${m.role} @change=${(e: Event) => this.setRole(m, (e.target as HTMLSelectElement).value as ProjectRole)}>
              <option value="editor" ?selected=${m.role === 'editor'}>Editor</option>
              <option value="viewer" ?selected=${m.role === 'viewer'}>Viewer</option>
              <option value="owner">Owner (you become an editor)</option>
            </select>
            <button class="btn ghost" aria-label="Remove ${label}" ?disabled=${this.busy} @click=${() => this.removeMember(m)}>Remove</button>`
          : html`<span class="chip">${m.role[0]!.toUpperCase()}${m.role.slice(1)}</span>`
      }
    </li>`;
  }

  private async invite(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const role = String(data.get('role')) as ProjectRole;
    const ok = await this.run(async () => {
      await this.api.invite(this.project.id, email, role);
      return this.api.members(this.project.id);
    }, `Invited ${email} as ${role}.`);
    if (ok) form.reset();
  }

  private setRole(m: Member, role: ProjectRole) {
    return this.run(
      async () => {
        await this.api.setRole(this.project.id, m.userId, role);
        return this.api.members(this.project.id);
      },
      `${memberName(m)} is now ${role === 'owner' ? 'the owner' : role === 'editor' ? 'an editor' : 'a viewer'}.`,
    );
  }

  private removeMember(m: Member) {
    return this.run(
      async () => {
        await this.api.removeMember(this.project.id, m.userId);
        return this.api.members(this.project.id);
      },
      `Removed ${memberName(m)}.`,
    );
  }

  private async leave() {
    this.busy = true;
    try {
      await this.api.removeMember(this.project.id, this.userId);
      this.dispatchEvent(new Event('left'));
      this.dialog.close();
    } catch (err) {
      this.error = describeFailure(err);
    } finally {
      this.busy = false;
    }
  }

  /** Runs a change and shows the members it returns; a failure is said in the dialog. */
  private async run(change: () => Promise<Member[]>, done = ''): Promise<boolean> {
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      this.members = await change();
      this.status = done;
      this.dispatchEvent(new CustomEvent('members', { detail: this.members }));
      return true;
    } catch (err) {
      this.error =
        err instanceof ProblemError && err.status === 404 && done.startsWith('Invited')
          ? 'No account uses that email address.'
          : describeFailure(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'share-dialog': ShareDialog;
  }
}
