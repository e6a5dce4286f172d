import { describe, expect, it } from 'vitest';
import { readSavedFilters, removeFilter, saveFilter } from './saved-filters.js';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(initial));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

describe('saved filters', () => {
  it('keeps filters by name, replacing one saved again under the same name', () => {
    const storage = memoryStorage();
    saveFilter(storage, { name: 'Work ', query: 'tag=work' });
    saveFilter(storage, { name: 'Urgent', query: 'priority=urgent' });
    expect(saveFilter(storage, { name: 'Work', query: 'tag=work&overdue=true' })).toEqual([
      { name: 'Urgent', query: 'priority=urgent' },
      { name: 'Work', query: 'tag=work&overdue=true' },
    ]);
    expect(removeFilter(storage, 'Urgent')).toEqual([{ name: 'Work', query: 'tag=work&overdue=true' }]);
  });

  it('reads corrupt or hostile storage as no filters', () => {
    expect(readSavedFilters(memoryStorage({ 'todo.savedFilters': '{not json' }))).toEqual([]);
    expect(readSavedFilters(memoryStorage({ 'todo.savedFilters': '{"name":"x"}' }))).toEqual([]);
    const mixed = JSON.stringify([{ name: 'ok', query: 'q=a' }, { name: 1 }, null, { name: ' ', query: '' }]);
    expect(readSavedFilters(memoryStorage({ 'todo.savedFilters': mixed }))).toEqual([
      { name: 'ok', query: 'q=a' },
    ]);
  });
});
