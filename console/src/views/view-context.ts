import type { Task } from '@todo/contract';
import type { ProjectStore } from '../projects/project-store.js';
import type { ProjectsApi } from '../projects/projects-api.js';
import type { TasksApi } from '../tasks/tasks-api.js';

/** What the shell hands every sidebar view: the APIs, the user's projects and zone. */
export interface ViewContext {
  tasks: TasksApi;
  projectsApi: ProjectsApi;
  projects: ProjectStore;
  timeZone: string;
  userId: string;
}

/** A view the shell keeps in step with the stream and the editor's saves. */
export interface LiveView extends HTMLElement {
  taskChanged(task: Task): void;
  taskRemoved(id: string): void;
  /** The view's copy of a task, for the editor when the server cannot be reached. */
  cachedTask(id: string): Task | undefined;
}

/** Asks the shell for a toast (the shell's `notify` event), optionally with a Retry. */
export function notify(from: HTMLElement, text: string, retry?: () => void): void {
  from.dispatchEvent(
    new CustomEvent('notify', { detail: retry ? { text, retry } : { text }, bubbles: true, composed: true }),
  );
}

/** Asks the shell for a toast with Undo; `undo` may resolve to the task as it is after, for the shell to show. */
export function notifyUndo(
  from: HTMLElement,
  text: string,
  undo: () => Promise<unknown>,
  undone?: string,
): void {
  const detail = { text, undo, ...(undone ? { undone } : {}) };
  from.dispatchEvent(new CustomEvent('notify', { detail, bubbles: true, composed: true }));
}
