import type { Task } from '@todo/contract';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TasksApi } from '../tasks/tasks-api.js';
import { SaveState } from '../ui/save-state.js';
import { controls } from '../ui/shared-styles.js';
import { notify, notifyUndo } from '../views/view-context.js';
import { moveBack, placeOf } from './move-undo.js';
import type { ProjectStore } from './project-store.js';
import { type Member, memberName, type PlacedTask } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

/**
 * The editor's Project (move the task to another project: the keyboard's way to do what dropping on the
 * sidebar does) and, for a shared project, Assigned to. Each is saved at once; dispatches `placed` with the
 * updated Task.
 */
@customElement('task-placement')
export class TaskPlacement extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
        gap: 12px;
      }
      .wide {
        grid-column: 1 / -1;
      }
      label {
        display: block;
        font-weight: 500;
        margin-bottom: 4px;
      }
    `,
  ];

  @property({ attribute: false }) task!: Task;
  @property({ attribute: false }) projectsApi!: ProjectsApi;
  @property({ attribute: false }) tasksApi!: TasksApi;
  @property({ attribute: false }) projects: ProjectStore | undefined;
  @state() private members: Member[] = [];
  private readonly saving = new SaveState(this);

  override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('task') as PlacedTask | undefined;
    const projectId = (this.task as PlacedTask | undefined)?.projectId;
    if (changed.has('task') && projectId && before?.projectId !== projectId) this.load(projectId);
  }

  override render() {
    const task = this.task as PlacedTask;
    const choices = this.projects?.writable() ?? [];
    const current = (task as PlacedTask).assigneeId ?? '';
    return html`${
      task.projectId && choices.length > 1 && !task.parentId
        ? html`<div>
            <label for="project">Project</label>
            <select id="project" class="input" ?disabled=${this.saving.busy} @change=${this.move}>
              ${choices.map((p) => html`<option value=${p.id} ?selected=${p.id === task.projectId}>${p.inbox ? 'Inbox' : p.name}</option>`)}
            </select>
          </div>`
        : nothing
    }
      ${
        this.members.length > 1
          ? html`<div>
              <label for="assignee">Assigned to</label>
              <select id="assignee" class="input" ?disabled=${this.saving.busy} @change=${this.assign}>
                <option value="" ?selected=${current === ''}>Nobody</option>
                ${this.members.map((m) => html`<option value=${m.userId} ?selected=${current === m.userId}>${memberName(m)}</option>`)}
              </select>
            </div>`
          : nothing
      }
      ${
        task.projectId && choices.some((p) => p.id === task.projectId)
          ? html`<div class="wide">
              <label for="new-subtask">Add a subtask</label>
              <input id="new-subtask" class="input" maxlength="500" placeholder="Title, then Enter" ?disabled=${this.saving.busy} @keydown=${this.addSubtask} />
            </div>`
          : nothing
      }
      ${this.saving.error ? html`<p class="field-error" role="alert">${this.saving.error}</p>` : nothing}`;
  }

  /** Enter in "Add a subtask" creates one under this task; the shell shows it (`subtask-added`, the new Task). */
  private addSubtask = async (e: KeyboardEvent) => {
    const input = e.currentTarget as HTMLInputElement;
    const title = input.value.trim();
    if (e.key !== 'Enter' || !title) return;
    e.preventDefault();
    await this.saving.run(async () => {
      const parent = this.task as PlacedTask;
      const body = { title, parentId: parent.id, projectId: parent.projectId } as Parameters<
        TasksApi['create']
      >[0];
      const created = await this.tasksApi.create(body);
      input.value = '';
      this.dispatchEvent(
        new CustomEvent('subtask-added', { detail: created, bubbles: true, composed: true }),
      );
      notify(this, `Added subtask “${created.title}”`);
    });
  };

  private async load(projectId: string) {
    try {
      this.members = await this.projectsApi.members(projectId);
    } catch {
      // No members to list (an older server, or the project is the user's own): no assignee to choose.
      this.members = [];
    }
  }

  private assign = (e: Event) => {
    const assigneeId = (e.target as HTMLSelectElement).value || null;
    const patch = { assigneeId } as Parameters<TasksApi['update']>[1];
    return this.save(() => this.tasksApi.update(this.task.id, patch, this.task.version));
  };

  /** Moves the task to the chosen project, with an Undo toast that puts it back where it was. */
  private move = (e: Event) => {
    const projectId = (e.target as HTMLSelectElement).value;
    const before = this.task;
    return this.save(async () => {
      const moved = await this.projectsApi.move(before.id, { projectId });
      const name = this.projects?.byId(projectId)?.name ?? 'the project';
      const undo = () => moveBack(this.projectsApi, placeOf(before));
      notifyUndo(this, `Moved “${before.title}” to ${name}`, undo, `Moved “${before.title}” back`);
      return moved;
    });
  };

  private save(change: () => Promise<Task>) {
    return this.saving.run(async () => {
      this.dispatchEvent(new CustomEvent('placed', { detail: await change() }));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'task-placement': TaskPlacement;
  }
}
