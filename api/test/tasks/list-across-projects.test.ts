import { SORTS } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
interface Item {
  id: string;
  title: string;
  priority: string;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  projectId: string;
  order: string;
}

const PRIORITY_RANK: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3, urgent: 4 };

/** The sort's key of an item as the contract orders it (nulls last ascending, first descending). */
function keyOf(field: string, item: Item): string | number {
  switch (field) {
    case 'due':
      return item.dueAt ? Date.parse(item.dueAt) : Number.POSITIVE_INFINITY;
    case 'priority':
      return PRIORITY_RANK[item.priority]!;
    case 'created':
      return Date.parse(item.createdAt);
    case 'updated':
      return Date.parse(item.updatedAt);
    case 'title':
      return item.title.toLowerCase();
    default:
      return item.order;
  }
}

function compare(field: string, descending: boolean, a: Item, b: Item): number {
  let ka = keyOf(field, a);
  let kb = keyOf(field, b);
  if (field === 'due' && descending) {
    ka = a.dueAt ? ka : Number.NEGATIVE_INFINITY;
    kb = b.dueAt ? kb : Number.NEGATIVE_INFINITY;
  }
  const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
  const byId = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  const c = byKey || byId;
  return descending ? -c : c;
}

describe.each(STORAGES)('listing across several projects on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  const call = (auth: Auth, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });

  it('merges the Inbox, an own project and a shared one in every sort, both ways, and pages them without gaps or repeats', async () => {
    const [alice, bob, eve] = [await t.user(), await t.user(), await t.user()];
    const own = (await call(alice.auth, 'POST', '/projects', { name: 'Own' })).json() as { id: string };
    const shared = (await call(bob.auth, 'POST', '/projects', { name: 'Shared' })).json() as { id: string };
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [alice.id]);
    expect(
      (
        await call(bob.auth, 'POST', `/projects/${shared.id}/members`, {
          email: rows[0]!.email,
          role: 'viewer',
        })
      ).statusCode,
    ).toBe(201);
    const priorities = ['none', 'low', 'medium', 'high', 'urgent'];
    const base = Date.parse('2031-05-01T00:00:00Z');
    const homes: [Auth, string | undefined][] = [
      [alice.auth, undefined],
      [alice.auth, own.id],
      [bob.auth, shared.id],
    ];
    for (let i = 0; i < 24; i++) {
      const [auth, projectId] = homes[i % 3]!;
      await createTask(t, auth, {
        title: `${String.fromCharCode(97 + ((i * 7) % 26))} task ${i}`,
        priority: priorities[(i * 3) % 5],
        // Some undated, some sharing a due date (ties are broken by id).
        ...(i % 4 === 0 ? {} : { dueAt: new Date(base + (i % 5) * 3_600_000).toISOString() }),
        ...(projectId ? { projectId } : {}),
      });
    }
    // Another user's project, which alice is not in, never shows.
    await createTask(t, eve.auth, { title: 'not alice’s' });

    for (const field of SORTS) {
      for (const descending of [false, true]) {
        const sort = `${descending ? '-' : ''}${field}`;
        const all = (await call(alice.auth, 'GET', `/tasks?sort=${sort}&limit=200`)).json() as {
          items: Item[];
        };
        expect(all.items, sort).toHaveLength(24);
        expect(new Set(all.items.map((i) => i.projectId)).size, sort).toBe(3);
        if (field === 'created' || field === 'updated') {
          // The API's times carry milliseconds, the database's microseconds: the order is checked by the
          // millisecond, ties and all.
          const keys = all.items.map((i) => keyOf(field, i) as number);
          const inOrder = [...keys].sort((a, b) => (descending ? b - a : a - b));
          expect(keys, sort).toEqual(inOrder);
        } else {
          const expected = [...all.items].sort((a, b) => compare(field, descending, a, b));
          expect(
            all.items.map((i) => i.id),
            sort,
          ).toEqual(expected.map((i) => i.id));
        }

        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page = (
            await call(
              alice.auth,
              'GET',
              `/tasks?sort=${sort}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            )
          ).json() as { items: Item[]; nextCursor: string | null };
          paged.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(paged, sort).toEqual(all.items.map((i) => i.id));
      }
    }
    // One project only, by its id.
    const onlyShared = (await call(alice.auth, 'GET', `/tasks?projectId=${shared.id}&limit=200`)).json() as {
      items: Item[];
    };
    expect(onlyShared.items).toHaveLength(8);
    expect(onlyShared.items.every((i) => i.projectId === shared.id)).toBe(true);
  });
});
