import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { shortcutFor } from '../shortcuts/keymap.js';
import type { TasksPage } from '../tasks/tasks-page.js';

/** What the shortcuts act on; the app shell provides it. */
export interface ShortcutTarget {
  /** False while signed out: then no shortcut applies. */
  signedIn(): boolean;
  /** The task list, when it is the page on screen. */
  tasksPage(): TasksPage | undefined;
  showShortcuts(): void;
  focusSearch(): void;
  /** Goes to the task list if needed and focuses quick add. */
  newTask(): void;
  /** Runs the Undo of the newest toast that offers one; false when none does. */
  undo(): boolean;
  /** Opens the assistant chat, or closes it when open. */
  toggleChat(): void;
}

/** The document-wide keyboard shortcuts (see `shortcuts/keymap.ts`), listening while the host is connected. */
export class KeyboardShortcuts implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly target: ShortcutTarget,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.onKeyDown);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKeyDown);
  }

  private onKeyDown = (e: KeyboardEvent) => {
    if (!this.target.signedIn()) return;
    const origin = e.composedPath()[0] as HTMLElement | undefined;
    const typing = !!origin && (/^(INPUT|TEXTAREA|SELECT)$/.test(origin.tagName) || origin.isContentEditable);
    const inDialog = e.composedPath().some((n) => n instanceof HTMLDialogElement && n.open);
    const action = shortcutFor(e, typing);
    if (!action || (inDialog && action !== 'escape')) return;
    const page = this.target.tasksPage();
    switch (action) {
      case 'escape':
        if (typing) origin?.blur();
        return;
      case 'help':
        this.target.showShortcuts();
        break;
      case 'chat':
        this.target.toggleChat();
        break;
      case 'search':
        this.target.focusSearch();
        break;
      case 'new':
        this.target.newTask();
        break;
      case 'down':
        page?.moveFocus(1);
        break;
      case 'up':
        page?.moveFocus(-1);
        break;
      case 'complete':
        page?.toggleFocused();
        break;
      case 'undo':
        if (!this.target.undo()) return;
        break;
      case 'open':
        // Enter on a control of its own (a button, a link) is that control's, not "edit the selected task".
        if (e.key === 'Enter' && origin && origin.tagName !== 'BODY' && !origin.matches('[role=listitem]'))
          return;
        page?.openFocused();
        break;
    }
    e.preventDefault();
  };
}
