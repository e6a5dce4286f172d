import type { Task } from '@todo/contract';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { describeFailure } from '../api/errors.js';
import type { TasksApi } from '../tasks/tasks-api.js';
import { controls } from '../ui/shared-styles.js';
import type { Member, PlacedTask } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

/**
 * The editor's "Assigned to" for a task of a shared project (shown only when its project has other
 * members): saved at once with the task's version; dispatches `assigned` with the updated Task.
 */
@customElement('task-assignee')
export class TaskAssignee extends LitElement {
  static override styles = [
    controls,
    css`
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
  @state() private members: Member[] = [];
  @state() private error = '';
  @state() private busy = false;

  override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('task') as PlacedTask | undefined;
    const projectId = (this.task as PlacedTask | undefined)?.projectId;
    if (changed.has('task') && projectId && before?.projectId !== projectId) this.load(projectId);
  }

  override render() {
    if (this.members.length < 2) return nothing;
    const current = (this.task as PlacedTask).assigneeId ?? '';
    return html`<label for="assignee">Assigned to</label>
      <select id="assignee" class="input" ?disabled=${this.busy} @change=${this.assign}>
        <option value="" ?selected=${current === ''}>Nobody</option>
        ${this.members.map((m) => html`<option value=${m.userId} ?selected=${current === m.userId}>${m.name || m.email}</option>`)}
      </select>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}`;
  }

  private async load(projectId: string) {
    try {
      this.members = await this.projectsApi.members(projectId);
    } catch {
      // No members to list (an older server, or the project is the user's own): no assignee to choose.
      this.members = [];
    }
  }

  private assign = async (e: Event) => {
    const assigneeId = (e.target as HTMLSelectElement).value || null;
    this.busy = true;
    this.error = '';
    try {
      const patch = { assigneeId } as Parameters<TasksApi['update']>[1];
      const saved = await this.tasksApi.update(this.task.id, patch, this.task.version);
      this.dispatchEvent(new CustomEvent('assigned', { detail: saved }));
    } catch (err) {
      this.error = describeFailure(err);
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'task-assignee': TaskAssignee;
  }
}
