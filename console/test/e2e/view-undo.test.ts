import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest, dayAt } from './console-under-test.js';

/**
 * Complete, delete and the offline editor away from the main list: on a project page, Today, Upcoming and the
 * calendar. The browser's clock is fixed (a Thursday) so Today and Upcoming follow from NOW and the seed.
 */
const NOW = new Date('2026-05-14T10:00:00Z');
let ui: ConsoleUnderTest;
let page: Page;
let kitchen: string;
const ids: Record<string, string> = {};

const at = (days: number, hour: number): string => dayAt(NOW, days, hour);

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.context.clock.setFixedTime(NOW);
  await ui.signUpViaApi(`view-undo-${Date.now()}@example.com`);
  await page.goto('/');
  kitchen = (await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Kitchen' }) })).id;
  const seed: [string, string | null, string | null][] = [
    ['Fix the tap', null, kitchen],
    ['Paint the door', null, kitchen],
    ['Clean the oven', null, kitchen],
    ['Call Alex', at(0, 15), null],
    ['Water the plants', at(0, 17), null],
    ['Team stand-up', at(1, 9), null],
  ];
  for (const [title, dueAt, projectId] of seed) {
    const body = { title, dueAt, ...(projectId ? { projectId } : {}) };
    ids[title] = (await ui.api('/tasks', { method: 'POST', body: JSON.stringify(body) })).id;
  }
});

afterAll(() => ui?.close());

const sidebar = () => page.getByRole('navigation', { name: 'Lists' });
const section = (name: RegExp | string) => page.getByRole('region', { name });
const titlesIn = (name: RegExp | string) => section(name).locator('.title').allTextContents();
const projectTitles = () => page.locator('project-page task-groups .title').allTextContents();
const stateOf = async (title: string) =>
  ((await ui.api(`/tasks/${ids[title]}`)) as { completed: boolean }).completed ? 'done' : 'open';
const toastWith = (text: string) => page.locator('toast-stack .toast').filter({ hasText: text });

describe('Complete and Undo on every screen, like the main list', () => {
  it('completes on a project page, and Undo reopens it through the API and puts it back in its place', async () => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      d.dismiss();
    });
    await page.goto(`/projects/${kitchen}`);
    await expect
      .poll(projectTitles, { timeout: 15_000 })
      .toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    await page.getByRole('checkbox', { name: 'Complete “Paint the door”' }).click();
    const toast = toastWith('Completed “Paint the door”');
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => stateOf('Paint the door'), { timeout: 10_000 }).toBe('done');
    expect(await projectTitles()).toEqual(['Fix the tap', 'Clean the oven']);
    expect(await axeViolations(page)).toEqual([]);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stateOf('Paint the door'), { timeout: 10_000 }).toBe('open');
    await expect.poll(projectTitles).toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    await expect.poll(() => toastWith('Reopened “Paint the door”').isVisible()).toBe(true);
    expect(dialogs).toBe(0);
  });

  it('completes on Today, and z undoes it: open again and back under Today', async () => {
    await sidebar().getByRole('link', { name: 'Today' }).click();
    const today = /^Today · Thursday 14 May/;
    await expect.poll(() => titlesIn(today), { timeout: 15_000 }).toEqual(['Call Alex', 'Water the plants']);
    await page.getByRole('checkbox', { name: 'Complete “Call Alex”' }).click();
    await expect.poll(() => toastWith('Completed “Call Alex”').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => stateOf('Call Alex'), { timeout: 10_000 }).toBe('done');
    expect(await titlesIn(today)).toEqual(['Water the plants']);
    // Escape leaves the checkbox (keys typed into a control are not shortcuts), then z is Undo.
    await page.keyboard.press('Escape');
    await page.keyboard.press('z');
    await expect.poll(() => stateOf('Call Alex'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => titlesIn(today)).toEqual(['Call Alex', 'Water the plants']);
    await expect.poll(() => toastWith('Reopened “Call Alex”').isVisible()).toBe(true);
  });

  it('completes on Upcoming with the same Undo', async () => {
    await sidebar().getByRole('link', { name: 'Upcoming' }).click();
    const tomorrow = /^Tomorrow · Friday 15 May/;
    await expect.poll(() => titlesIn(tomorrow), { timeout: 15_000 }).toEqual(['Team stand-up']);
    await page.getByRole('checkbox', { name: 'Complete “Team stand-up”' }).click();
    const toast = toastWith('Completed “Team stand-up”');
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => stateOf('Team stand-up'), { timeout: 10_000 }).toBe('done');
    await expect.poll(() => titlesIn(tomorrow)).toEqual([]);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stateOf('Team stand-up'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => titlesIn(tomorrow)).toEqual(['Team stand-up']);
  });

  it('deletes from the editor over the calendar, and Undo restores it from the Trash into its day', async () => {
    await sidebar().getByRole('link', { name: 'Calendar' }).click();
    const day = page.getByRole('grid', { name: 'May 2026' }).locator('[data-day="2026-05-14"]');
    await expect.poll(() => day.textContent(), { timeout: 15_000 }).toContain('Water the plants');
    await day.getByRole('link', { name: 'Water the plants' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect
      .poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 })
      .toBe('Water the plants');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => dialog.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => day.textContent()).not.toContain('Water the plants');
    const trashed = await ui.api('/tasks?status=all&limit=200');
    expect(trashed.items.map((t: { title: string }) => t.title)).not.toContain('Water the plants');
    await toastWith('Deleted “Water the plants”').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stateOf('Water the plants'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => day.textContent()).toContain('Water the plants');
    await expect.poll(() => toastWith('Restored “Water the plants”').isVisible()).toBe(true);
  });
});

describe('the editor from cached data when the server cannot be reached', () => {
  const oneTask = (url: URL) => /^\/api\/v1\/tasks\/[^/]+$/.test(url.pathname);

  it('opens a task from a project page offline, says so, and saves once the server answers', async () => {
    // The main list is filtered to nothing first, so the only copy the browser holds is the project page's.
    await page.goto('/?q=nothing-matches-this');
    await expect.poll(() => page.getByText('No tasks match this view').count(), { timeout: 15_000 }).toBe(1);
    await sidebar()
      .getByRole('link', { name: /^Kitchen/ })
      .click();
    await expect
      .poll(projectTitles, { timeout: 15_000 })
      .toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    await page.route(oneTask, (route) => route.abort('internetdisconnected'));
    try {
      await page.getByRole('link', { name: 'Clean the oven' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await expect
        .poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 })
        .toBe('Clean the oven');
      expect(await dialog.getByRole('status').textContent()).toContain('You are offline');
      expect(await dialog.getByRole('alert').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.unroute(oneTask);
      await dialog.getByLabel('Title').fill('Clean the oven, edited offline');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => dialog.count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await page.unroute(oneTask);
    }
    await expect
      .poll(projectTitles, { timeout: 10_000 })
      .toEqual(['Fix the tap', 'Paint the door', 'Clean the oven, edited offline']);
    expect((await ui.api(`/tasks/${ids['Clean the oven']}`)).title).toBe('Clean the oven, edited offline');
  });

  it('opens a task from Today offline too (the main list still filtered to nothing)', async () => {
    await sidebar().getByRole('link', { name: 'Today' }).click();
    await expect.poll(() => titlesIn(/^Today · Thursday 14 May/), { timeout: 15_000 }).toContain('Call Alex');
    await page.route(oneTask, (route) => route.abort('internetdisconnected'));
    try {
      await page.getByRole('link', { name: 'Call Alex' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Call Alex');
      expect(await dialog.getByRole('status').textContent()).toContain('You are offline');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/today');
    } finally {
      await page.unroute(oneTask);
    }
  });
});
