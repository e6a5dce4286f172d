/** Keyboard shortcuts of the task screen, defined once for the handler and the help dialog. */
export type ShortcutAction =
  | 'new'
  | 'search'
  | 'down'
  | 'up'
  | 'complete'
  | 'open'
  | 'undo'
  | 'help'
  | 'chat'
  | 'escape';

export const SHORTCUTS: { keys: string[]; action: ShortcutAction; label: string }[] = [
  { keys: ['n'], action: 'new', label: 'New task (focus quick add)' },
  { keys: ['/'], action: 'search', label: 'Search' },
  { keys: ['j'], action: 'down', label: 'Next task' },
  { keys: ['k'], action: 'up', label: 'Previous task' },
  { keys: ['x'], action: 'complete', label: 'Complete or reopen the selected task' },
  { keys: ['e', 'Enter'], action: 'open', label: 'Edit the selected task' },
  { keys: ['z'], action: 'undo', label: 'Undo the last action (while its toast shows)' },
  { keys: ['c'], action: 'chat', label: 'Open or close the assistant chat' },
  { keys: ['?'], action: 'help', label: 'Show these shortcuts' },
  { keys: ['Escape'], action: 'escape', label: 'Close dialog or leave a field' },
];

/** The action for a key press, or null; typing in a field only ever yields `escape`. */
export function shortcutFor(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>,
  typing: boolean,
): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const found = SHORTCUTS.find((s) => s.keys.includes(event.key))?.action ?? null;
  if (typing) return found === 'escape' ? found : null;
  return found;
}
