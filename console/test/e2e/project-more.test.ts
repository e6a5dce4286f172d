import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

// A project with more open tasks than its page loads at once (2,000): the rest is one "Show more tasks"
// away, by mouse or keyboard, with live changes, subtasks and moves still right. Seeded in one import.
let ui: ConsoleUnderTest;
let page: Page;
let projectId: string;
const ids: Record<string, string> = {};

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The i-th of 3,844 order keys in manual order ("b00", "b01" …). */
const key = (i: number) => `b${DIGITS[Math.floor(i / 62)]}${DIGITS[i % 62]}`;
const TOTAL = 2050;
/** Its page is the eleventh; its subtask sorts first of all, so it comes ten pages earlier. */
const LATE_PARENT = 2040;

interface ApiTask {
  id: string;
  title: string;
  order: string;
}

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`more-${Date.now()}@example.com`);
  await page.goto('/');
  const tasks: { id: string; title: string; projectId: string; order: string; parentId?: string }[] =
    Array.from({ length: TOTAL }, (_, i) => ({
      id: i === LATE_PARENT ? 'late' : `t${i}`,
      title: i === LATE_PARENT ? 'Late parent' : `Task ${i + 1}`,
      projectId: 'big',
      order: key(i),
    }));
  tasks.push({ id: 'early', title: 'Early subtask', projectId: 'big', order: 'a0', parentId: 'late' });
  const body = { format: 'todo-export', version: 1, projects: [{ id: 'big', name: 'Big backlog' }], tasks };
  const report = await ui.api('/import?format=json', { method: 'POST', body: JSON.stringify(body) });
  expect(report.created.tasks).toBe(TOTAL + 1);
  const projects = (await ui.api('/projects')) as { id: string; name: string }[];
  projectId = projects.find((p) => p.name === 'Big backlog')!.id;
  for (let cursor = ''; ; ) {
    const q = `projectId=${projectId}&sort=manual&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const result = (await ui.api(`/tasks?${q}`)) as { items: ApiTask[]; nextCursor: string | null };
    for (const t of result.items) ids[t.title] = t.id;
    if (!result.nextCursor) break;
    cursor = encodeURIComponent(result.nextCursor);
  }
  await page.goto(`/projects/${projectId}`);
}, 300_000);

afterAll(() => ui?.close());

const list = () => page.locator('project-page task-groups');
const rows = () => list().locator('li[data-id]');
const rowOf = (title: string) => rows().filter({ has: page.getByRole('link', { name: title, exact: true }) });
const levelOf = (title: string) => rowOf(title).getAttribute('aria-level');
const handle = (title: string) => page.getByRole('button', { name: `Move “${title}”`, exact: true });
const more = () => page.getByRole('button', { name: 'Show more tasks' });
const count = () => list().locator('h2 .muted').textContent();
const focused = (locator: ReturnType<typeof more>) => locator.evaluate((el) => el.matches(':focus'));
const rename = (title: string, to: string) =>
  ui.api(`/tasks/${ids[title]}`, { method: 'PATCH', body: JSON.stringify({ title: to }) });

describe('a project with more than 2,000 open tasks', () => {
  it('shows the first 2,000, says more exist, and offers a control to load them', async () => {
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(2000);
    expect(await count()).toBe('2000+');
    expect(await page.locator('project-page .more [role=status]').textContent()).toContain(
      '2,000 of the project’s open tasks are shown; it has more.',
    );
    expect(await more().count()).toBe(1);
    expect(await rowOf('Task 1999').count()).toBe(1);
    for (const title of ['Task 2000', 'Task 2050', 'Late parent']) expect(await rowOf(title).count()).toBe(0);
    // Its parent is not loaded yet: the subtask shows at the top level rather than not at all.
    expect(await levelOf('Early subtask')).toBe('1');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('leaves a live change to a task not loaded yet for its page, and shows one to a task loaded', async () => {
    await rename('Task 2050', 'Task 2050 renamed');
    await rename('Task 5', 'Task 5 renamed');
    // The stream delivers in order: once the second change shows, the first one has been handled.
    await expect.poll(() => rowOf('Task 5 renamed').count(), { timeout: 15_000 }).toBe(1);
    expect(await rows().count()).toBe(2000);
    expect(await rowOf('Task 2050 renamed').count()).toBe(0);
  });

  it('says so when the next pages cannot be loaded, keeping the tasks shown and the control', async () => {
    const nextPages = (url: URL) => url.pathname === '/api/v1/tasks' && url.searchParams.has('cursor');
    await page.route(nextPages, (route) => route.abort('connectionrefused'));
    await more().click();
    const toast = page.locator('toast-stack .toast').filter({ hasText: 'Could not load more tasks' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    await page.unroute(nextPages);
    expect(await rows().count()).toBe(2000);
    expect(await more().getAttribute('aria-disabled')).toBe('false');
  });

  it('is reached by Tab from the last task and loads the rest with Enter, nesting the early subtask', async () => {
    await handle('Task 1999').focus();
    await page.keyboard.press('Tab');
    expect(await focused(more())).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(TOTAL + 1);
    expect(await rowOf('Task 2050 renamed').count()).toBe(1);
    expect(await rowOf('Task 2050').count()).toBe(0);
    expect(await levelOf('Early subtask')).toBe('2');
    const order = await rows().evaluateAll((els) => els.map((r) => r.querySelector('.title')?.textContent));
    expect(order.indexOf('Early subtask')).toBe(order.indexOf('Late parent') + 1);
    expect(order[0]).toBe('Task 1');
  });

  it('removes the control once everything is loaded, says so and moves focus there', async () => {
    expect(await more().count()).toBe(0);
    expect(await count()).toBe(String(TOTAL + 1));
    const status = page.locator('project-page .more [role=status]');
    expect(await status.textContent()).toBe('All 2,051 open tasks are shown.');
    expect(await focused(status)).toBe(true);
  });

  it('moves a task from the pages loaded later by keyboard, as the API then stores it', async () => {
    await handle('Task 2050 renamed').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    const moved = async () => ((await ui.api(`/tasks/${ids['Task 2050']}`)) as ApiTask).order;
    const above = ((await ui.api(`/tasks/${ids['Task 2049']}`)) as ApiTask).order;
    await expect.poll(moved, { timeout: 10_000 }).not.toBe(key(TOTAL - 1));
    expect((await moved()) < above).toBe(true);
    await expect
      .poll(() =>
        rows().evaluateAll((els) => els.slice(-2).map((r) => r.querySelector('.title')?.textContent)),
      )
      .toEqual(['Task 2050 renamed', 'Task 2049']);
  });
});
