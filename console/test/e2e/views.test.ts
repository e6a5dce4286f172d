import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest, dayAt } from './console-under-test.js';

/**
 * The browser's clock, fixed by the test (a Thursday): Today, Upcoming and the calendar read "now" from it,
 * so every expectation below follows from NOW and the seed, never from the day the test runs. It lies in
 * the past so the sessions the server issues today are still unexpired in the browser.
 */
const NOW = new Date('2026-05-14T10:00:00Z');
let ui: ConsoleUnderTest;
let page: Page;
const ids: Record<string, string> = {};

const at = (days: number, hour: number): string => dayAt(NOW, days, hour);

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.context.clock.setFixedTime(NOW);
  await ui.signUpViaApi(`views-${Date.now()}@example.com`);
  await page.goto('/');
  const seed: [string, string | null, string[]?][] = [
    ['Pay the overdue invoice', at(-2, 9), ['money']],
    ['Call Alex', at(0, 15)],
    ['Team stand-up', at(1, 9)],
    ['Buy groceries', at(1, 18)],
    ['Renew passport', at(5, 12)],
    ['Dentist check-up', at(20, 8)],
    ['Someday: learn the cello', null],
  ];
  for (const [title, dueAt, tags = []] of seed) {
    const task = await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title, dueAt, tags }) });
    ids[title] = task.id;
  }
});

afterAll(() => ui?.close());

const sidebar = () => page.getByRole('navigation', { name: 'Lists' });
const section = (name: RegExp | string) => page.getByRole('region', { name });
const titlesIn = (name: RegExp | string) => section(name).locator('.title').allTextContents();
const dueOf = async (title: string) => new Date((await ui.api(`/tasks/${ids[title]}`)).dueAt).toISOString();

describe('Today, Upcoming and the calendar, on a clock the test controls', () => {
  it('shows overdue and today’s tasks under Today, and nothing later', async () => {
    await sidebar().getByRole('link', { name: 'Today' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toBe('Today');
    expect(new URL(page.url()).pathname).toBe('/today');
    await expect.poll(() => titlesIn('Overdue'), { timeout: 10_000 }).toEqual(['Pay the overdue invoice']);
    expect(await titlesIn(/^Today · Thursday 14 May/)).toEqual(['Call Alex']);
    expect(await sidebar().getByRole('link', { name: 'Today' }).getAttribute('aria-current')).toBe('page');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('groups the next fourteen days under Upcoming', async () => {
    await sidebar().getByRole('link', { name: 'Upcoming' }).click();
    await expect
      .poll(() => titlesIn(/^Tomorrow · Friday 15 May/), { timeout: 10_000 })
      .toEqual(['Team stand-up', 'Buy groceries']);
    expect(await page.locator('upcoming-page section').count()).toBe(14);
    expect(await titlesIn(/^Tuesday 19 May/)).toEqual(['Renew passport']);
    expect(await page.getByText('Dentist check-up').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reschedules by keyboard: Space picks up, arrows move across days, Space drops, each step announced', async () => {
    const live = page.locator('task-groups [role=status]');
    const handle = page.getByRole('button', { name: 'Move “Team stand-up”' });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect
      .poll(() => live.textContent())
      .toContain('Picked up “Team stand-up”. Position 1 of 2 in Tomorrow');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => live.textContent()).toContain('Position 2 of 2 in Tomorrow');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => live.textContent()).toContain('Position 1 of 1 in Saturday 16 May');
    await page.keyboard.press('Space');
    await expect.poll(() => live.textContent()).toContain('Dropped “Team stand-up” in Saturday 16 May');
    await expect.poll(() => dueOf('Team stand-up'), { timeout: 10_000 }).toBe(at(2, 9));
    expect(await titlesIn(/^Saturday 16 May/)).toEqual(['Team stand-up']);
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.getAttribute('aria-label');
      });
    await expect.poll(focused).toBe('Move “Team stand-up”');
  });

  it('cancels a keyboard move with Escape, leaving the task where it was', async () => {
    const live = page.locator('task-groups [role=status]');
    await page.getByRole('button', { name: 'Move “Renew passport”' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => live.textContent())
      .toContain('Cancelled. “Renew passport” is back where it was.');
    expect(await dueOf('Renew passport')).toBe(at(5, 12));
  });

  it('reschedules by dragging a task with the mouse onto another day', async () => {
    const handle = await page.getByRole('button', { name: 'Move “Buy groceries”' }).boundingBox();
    const target = await section(/^Tuesday 19 May/).boundingBox();
    if (!handle || !target) throw new Error('handle or target day not on screen');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x, handle.y + 30, { steps: 4 });
    await page.mouse.move(target.x + 40, target.y + target.height - 6, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => titlesIn(/^Tuesday 19 May/), { timeout: 10_000 }).toContain('Buy groceries');
    await expect.poll(() => dueOf('Buy groceries'), { timeout: 10_000 }).toBe(at(5, 18));
    const toast = page
      .locator('toast-stack .toast')
      .filter({ hasText: 'Moved “Buy groceries” to Tuesday 19 May' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => dueOf('Buy groceries'), { timeout: 10_000 }).toBe(at(1, 18));
    await expect.poll(() => titlesIn(/^Tomorrow/)).toContain('Buy groceries');
    await expect
      .poll(() => page.locator('toast-stack .toast').allTextContents())
      .toContainEqual(expect.stringContaining('Moved “Buy groceries” back'));
  });

  it('lays the month out as a grid the arrow keys walk, today marked', async () => {
    await sidebar().getByRole('link', { name: 'Calendar' }).click();
    const grid = page.getByRole('grid', { name: 'May 2026' });
    await expect.poll(() => grid.count(), { timeout: 10_000 }).toBe(1);
    const today = grid.locator('[data-day="2026-05-14"]');
    await expect.poll(() => today.textContent(), { timeout: 10_000 }).toContain('Call Alex');
    expect(await today.getAttribute('aria-current')).toBe('date');
    expect(await grid.locator('[data-day="2026-05-12"]').textContent()).toContain('Pay the overdue invoice');
    await today.focus();
    const focusedDay = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.getAttribute('data-day');
      });
    await page.keyboard.press('ArrowRight');
    await expect.poll(focusedDay).toBe('2026-05-15');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedDay).toBe('2026-05-22');
    await page.keyboard.press('Home');
    await expect.poll(focusedDay).toBe('2026-05-18');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('PageDown');
    await expect.poll(focusedDay).toBe('2026-06-01');
    const june = page.getByRole('grid', { name: 'June 2026' });
    await expect
      .poll(() => june.locator('[data-day="2026-06-03"]').textContent(), { timeout: 10_000 })
      .toContain('Dentist check-up');
  });

  it('opens a task from a view in the editor over that view, and closes back to it', async () => {
    await sidebar().getByRole('link', { name: 'Today' }).click();
    await page.getByRole('link', { name: 'Call Alex' }).click();
    expect(new URL(page.url()).pathname).toBe(`/today/tasks/${ids['Call Alex']}`);
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Call Alex');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/today');
  });

  it('lists tags, and keeps a filtered list as a named saved filter in this browser', async () => {
    await page.goto('/upcoming');
    await sidebar()
      .getByRole('link', { name: /^money/ })
      .click();
    await expect.poll(() => new URL(page.url()).search).toBe('?tag=money');
    await expect
      .poll(() => ui.rows().locator('.title').allTextContents(), { timeout: 10_000 })
      .toEqual(['Pay the overdue invoice']);
    await sidebar().getByRole('button', { name: 'Save the current filter' }).click();
    await sidebar().getByRole('textbox', { name: 'Filter name' }).fill('Money matters');
    await sidebar().getByRole('button', { name: 'Save' }).click();
    await sidebar().getByRole('link', { name: 'All tasks' }).click();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(7);
    await page.reload();
    await sidebar().getByRole('link', { name: 'Money matters' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?tag=money');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await sidebar().getByRole('button', { name: 'Remove saved filter “Money matters”' }).click();
    expect(await sidebar().getByRole('link', { name: 'Money matters' }).count()).toBe(0);
  });

  it('folds the sidebar into a menu at 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await sidebar().isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await sidebar().getByRole('link', { name: 'Upcoming' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/upcoming');
    expect(await sidebar().isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
