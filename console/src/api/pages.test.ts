import type { Page } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { collectPages } from './pages.js';

/** A list of `total` numbers served `size` at a time, with the cursors each call received. */
function pagedNumbers(total: number, size: number) {
  const asked: (string | null)[] = [];
  const fetchPage = async (cursor: string | null): Promise<Page<number>> => {
    asked.push(cursor);
    const from = cursor === null ? 0 : Number(cursor);
    const items = Array.from({ length: Math.min(size, total - from) }, (_, i) => from + i);
    const next = from + items.length;
    return { items, nextCursor: next < total ? String(next) : null };
  };
  return { asked, fetchPage };
}

describe('collectPages', () => {
  it('follows the cursors to the end when it is within the bound', async () => {
    const { asked, fetchPage } = pagedNumbers(5, 2);
    const pages = await collectPages(fetchPage, { maxPages: 10 });
    expect(pages.flatMap((p) => p.items)).toEqual([0, 1, 2, 3, 4]);
    expect(asked).toEqual([null, '2', '4']);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('stops at maxPages, leaving the cursor to go on from', async () => {
    const { fetchPage } = pagedNumbers(10, 2);
    const first = await collectPages(fetchPage, { maxPages: 2 });
    expect(first.flatMap((p) => p.items)).toEqual([0, 1, 2, 3]);
    const cursor = first.at(-1)!.nextCursor;
    expect(cursor).toBe('4');
    const rest = await collectPages(fetchPage, { cursor, maxPages: 10 });
    expect(rest.flatMap((p) => p.items)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('ends, dropping the page in hand, once the walk has gone stale', async () => {
    const { asked, fetchPage } = pagedNumbers(10, 2);
    const pages = await collectPages(fetchPage, { maxPages: 10, stale: () => asked.length >= 2 });
    expect(pages.flatMap((p) => p.items)).toEqual([0, 1]);
    expect(asked).toHaveLength(2);
  });

  it('returns the one page of an empty list', async () => {
    const pages = await collectPages(pagedNumbers(0, 2).fetchPage, { maxPages: 3 });
    expect(pages).toEqual([{ items: [], nextCursor: null }]);
  });
});
