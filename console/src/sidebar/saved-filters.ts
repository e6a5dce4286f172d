/** Filters a user named and kept, in this browser only (`localStorage`): a name and the list's query string. */
export interface SavedFilter {
  name: string;
  query: string;
}

const KEY = 'todo.savedFilters';
const MAX = 50;

/** The saved filters; unreadable storage reads as none. */
export function readSavedFilters(storage: Storage): SavedFilter[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.filter(
      (f): f is SavedFilter =>
        typeof f?.name === 'string' && typeof f?.query === 'string' && f.name.trim() !== '',
    );
  } catch {
    return [];
  }
}

/** Adds (or replaces, by name) a saved filter and returns the new list. */
export function saveFilter(storage: Storage, filter: SavedFilter): SavedFilter[] {
  const name = filter.name.trim().slice(0, 60);
  const list = [...readSavedFilters(storage).filter((f) => f.name !== name), { name, query: filter.query }];
  const kept = list.slice(-MAX);
  storage.setItem(KEY, JSON.stringify(kept));
  return kept;
}

export function removeFilter(storage: Storage, name: string): SavedFilter[] {
  const kept = readSavedFilters(storage).filter((f) => f.name !== name);
  storage.setItem(KEY, JSON.stringify(kept));
  return kept;
}
