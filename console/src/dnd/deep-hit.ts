/** The innermost element under a point, looking inside open shadow roots (the sidebar's links live in one). */
export function deepElementFromPoint(x: number, y: number): Element | null {
  let el = document.elementFromPoint(x, y);
  while (el?.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}

/** The project a point is over (a sidebar link marked `data-drop-project`), if any. */
export function projectLinkAt(x: number, y: number): HTMLElement | null {
  return deepElementFromPoint(x, y)?.closest<HTMLElement>('[data-drop-project]') ?? null;
}
