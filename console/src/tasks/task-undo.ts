import type { Task } from '@todo/contract';
import { describeFailure } from '../api/errors.js';
import { type BulkAction, type TaskSink, undoBulk } from './bulk-actions.js';
import type { TasksApi } from './tasks-api.js';

/** What a `notify` event carries: the toast's text and either how to undo what was done or how to retry a failure. */
export interface NotifyDetail {
  text: string;
  retry?: () => void;
  /** Reverses what was done; a Task it resolves to is shown where it now belongs, by the shell. */
  undo?: () => unknown;
  /** Said once the undo succeeded. */
  undone?: string;
}

/**
 * A screen that completes and undoes: the element toasts are asked for from (the shell's `notify` event),
 * the API, and where a changed task is shown. The main list, a project, Today and Upcoming all use it, so
 * every screen's Complete offers the same Undo.
 */
export interface UndoScope {
  host: HTMLElement;
  api: TasksApi;
  sink: TaskSink;
}

/** Asks the shell for a toast, with Undo for what was just done or Retry for what failed. */
export function toast(from: HTMLElement, detail: NotifyDetail): void {
  from.dispatchEvent(new CustomEvent('notify', { detail, bubbles: true, composed: true }));
}

export interface ToggleOptions {
  /** Runs with the task as it is after, once the server agreed (counts, subtasks). */
  after?: (updated: Task) => void;
  /** What the failure toast's Retry does; completing again by default. */
  retry?: () => void;
}

/**
 * Completes (or reopens) `task`. A completion says so with Undo (reopens it through the API and shows it
 * again where it was); a failure offers Retry. Resolves to the task as it is now, or null when it failed.
 */
export async function toggleComplete(
  scope: UndoScope,
  task: Task,
  options: ToggleOptions = {},
): Promise<Task | null> {
  try {
    const updated = task.completed ? await scope.api.reopen(task.id) : await scope.api.complete(task.id);
    scope.sink.upsert(updated);
    options.after?.(updated);
    if (!task.completed)
      toast(scope.host, {
        text: `Completed “${task.title}”`,
        undo: () => undoAction(scope, { kind: 'complete' }, [updated]),
      });
    return updated;
  } catch (err) {
    toast(scope.host, {
      text: describeFailure(err),
      retry: options.retry ?? (() => void toggleComplete(scope, task, options)),
    });
    return null;
  }
}

/** Says `task` was deleted (it is in the Trash), with Undo to restore it. */
export function deletedWithUndo(scope: UndoScope, task: Task): void {
  toast(scope.host, {
    text: `Deleted “${task.title}”`,
    undo: () => undoAction(scope, { kind: 'delete' }, [task]),
  });
}

/**
 * Reverses `action` for `changed` (reopens, restores from the Trash, takes the tag off), shows what came
 * back through the scope's sink, then says so (a screen reader hears it); what could not be undone gets Retry.
 */
export async function undoAction(scope: UndoScope, action: BulkAction, changed: Task[]): Promise<void> {
  const { done, failed, firstError } = await undoBulk(scope.api, scope.sink, changed, action);
  const tasks = (n: number) => `${n} task${n === 1 ? '' : 's'}`;
  if (failed.length)
    toast(scope.host, {
      text: `Could not undo for ${tasks(failed.length)}: ${describeFailure(firstError)}`,
      retry: () => void undoAction(scope, action, failed),
    });
  else {
    const what = changed.length === 1 ? `“${changed[0]!.title}”` : tasks(done);
    const verb = {
      complete: 'Reopened',
      delete: 'Restored',
      tag: `Took #${'tag' in action ? action.tag : ''} off`,
    }[action.kind];
    toast(scope.host, { text: `${verb} ${what}` });
  }
}
