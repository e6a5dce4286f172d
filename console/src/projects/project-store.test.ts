import { describe, expect, it, vi } from 'vitest';
import { ProblemError } from '../api/errors.js';
import { ProjectStore } from './project-store.js';
import type { Project } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

const project = (id: string, order: string, more: Partial<Project> = {}): Project => ({
  id,
  name: id,
  color: null,
  parentId: null,
  archived: false,
  order,
  role: 'owner',
  inbox: false,
  ...more,
});

function storeWith(list: () => Promise<Project[]>, counts: Record<string, number> = {}) {
  const api = { list: vi.fn(list) } as unknown as ProjectsApi;
  return { api, store: new ProjectStore(api, async (id) => counts[id] ?? 0) };
}

describe('the sidebar’s project store', () => {
  it('orders projects by their key as plain text and counts the open tasks of those not archived', async () => {
    const { store } = storeWith(
      async () => [project('b', 'a1'), project('old', 'a0', { archived: true }), project('a', 'a0V')],
      { a: 3, b: 250, old: 9 },
    );
    await store.load();
    expect(store.items.map((p) => p.id)).toEqual(['old', 'a', 'b']);
    expect(Object.fromEntries(store.counts)).toEqual({ a: 3, b: 250 });
  });

  it('offers quick add only the projects the user may write to', async () => {
    const { store } = storeWith(async () => [
      project('mine', 'a0'),
      project('shared-view', 'a1', { role: 'viewer' }),
      project('shared-edit', 'a2', { role: 'editor' }),
      project('archived', 'a3', { archived: true }),
    ]);
    await store.load();
    expect(store.writable().map((p) => p.id)).toEqual(['mine', 'shared-edit']);
  });

  it('hides projects from an API without them (404) instead of failing', async () => {
    const { store } = storeWith(async () => {
      throw new ProblemError(404, 'Not Found', undefined, []);
    });
    await store.load();
    expect(store.available).toBe(false);
  });

  it('reloads when a live task names a project it does not know, as after an invitation', async () => {
    const { store, api } = storeWith(async () => [project('mine', 'a0')]);
    await store.load();
    store.noticeProject('mine');
    expect(api.list).toHaveBeenCalledTimes(1);
    store.noticeProject('shared-with-me');
    expect(api.list).toHaveBeenCalledTimes(2);
  });

  it('lists the projects again once live deletions settle, so a project the user lost leaves the sidebar', async () => {
    vi.useFakeTimers();
    try {
      let projects = [project('mine', 'a0'), project('shared', 'a1', { role: 'editor' })];
      const { api, store } = storeWith(async () => projects);
      await store.load();
      expect(store.items.map((p) => p.id)).toEqual(['mine', 'shared']);
      // Removed from "shared": the stream sends task.deleted for each of its tasks, in a burst.
      projects = [project('mine', 'a0')];
      store.countsChanged(true);
      store.countsChanged(false);
      store.countsChanged(true);
      await vi.advanceTimersByTimeAsync(1500);
      expect(api.list).toHaveBeenCalledTimes(2);
      expect(store.items.map((p) => p.id)).toEqual(['mine']);
      // Other live changes only recount.
      store.countsChanged(false);
      await vi.advanceTimersByTimeAsync(1500);
      expect(api.list).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
