import type { Page } from '@todo/contract';

export interface PageWalk {
  /** Where to start: a `nextCursor` an earlier walk ended on, or null for the first page. */
  cursor?: string | null;
  /** Pages fetched at most. */
  maxPages: number;
  /** Checked after each fetch: once it holds, the walk ends there and drops the page just fetched. */
  stale?: () => boolean;
}

/**
 * Follows `nextCursor` from `cursor` for up to `maxPages` pages of `fetchPage`, and returns them in order. The
 * last page's `nextCursor` says whether more are left; each view decides what a bound means for it (a "Show more"
 * button, a "not all shown" note).
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  { cursor = null, maxPages, stale }: PageWalk,
): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  do {
    const page = await fetchPage(cursor);
    if (stale?.()) break;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < maxPages);
  return pages;
}
