/** Row density, a per-device preference: comfortable (default) or compact rows, set in Settings. */
export type Density = 'comfortable' | 'compact';

const KEY = 'todo.density';

/** The saved density; comfortable when none was saved or storage is unavailable. */
export function savedDensity(storage: Pick<Storage, 'getItem'> = localStorage): Density {
  try {
    return storage.getItem(KEY) === 'compact' ? 'compact' : 'comfortable';
  } catch {
    return 'comfortable';
  }
}

/** Shows `density` at once (theme.css reads the attribute) and keeps it for the next visit. */
export function setDensity(density: Density, storage: Pick<Storage, 'setItem'> = localStorage): void {
  applyDensity(density);
  try {
    storage.setItem(KEY, density);
  } catch {
    // Private mode: the choice still holds for this visit.
  }
}

export function applyDensity(density: Density): void {
  document.documentElement.dataset.density = density;
}
