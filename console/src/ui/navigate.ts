/** Asks the app shell to change the URL; links inside shadow roots dispatch it instead of reloading. */
export class NavigateEvent extends Event {
  constructor(
    readonly path: string,
    readonly replace = false,
  ) {
    super('navigate', { bubbles: true, composed: true });
  }
}

/** Click handler for in-app `<a href>` links: plain left clicks navigate without a page load. */
export function followLink(event: MouseEvent): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  anchor.dispatchEvent(new NavigateEvent(anchor.getAttribute('href') ?? '/'));
}
