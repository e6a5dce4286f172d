import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleUnderTest } from './console-under-test.js';

// One user's story, in order: each step starts where the previous one left the page.
const email = `ada-${Date.now()}@example.com`;
/**
 * The browser's "now" (a Tuesday), so dates the console reads relative to today have one right answer.
 * It lies in the past, so the sessions the server issues today are still unexpired in the browser.
 */
const NOW = new Date('2026-03-10T10:00:00Z');
let ui: ConsoleUnderTest;
let page: Page;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  await ui.context.clock.setFixedTime(NOW);
  page = ui.page;
});

afterAll(() => ui?.close());

describe('the task flow in a real browser', () => {
  it('signs a new user up and shows an empty list', async () => {
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await ui.shot('signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByText('Nothing to do').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('quick-adds a recurring task, showing what it parsed before submitting', async () => {
    const box = page.getByRole('textbox', { name: /Add/ });
    await box.fill('Pay rent every month on the 1st at 9am #home !high');
    const chips = page.getByRole('list', { name: 'Parsed details' });
    await expect.poll(() => chips.textContent(), { timeout: 10_000 }).toContain('every month on the 1st');
    const parsed = await chips.textContent();
    expect(parsed).toContain('Pay rent');
    expect(parsed).toContain('#home');
    expect(parsed).toContain('high');
    expect(parsed).toContain('Wed 1 Apr 09:00');
    await ui.shot('quick-add');
    await box.press('Enter');
    await expect.poll(() => ui.row('Pay rent').count()).toBe(1);
    const text = await ui.row('Pay rent').textContent();
    expect(text).toContain('every month on the 1st');
    expect(text).toContain('#home');
    expect(text).toContain('High');
    const [saved] = (await ui.api('/tasks?q=rent')).items as { dueAt: string }[];
    expect(saved?.dueAt).toBe('2026-04-01T09:00:00.000Z');
  });

  it('completes the recurring task and shows its next occurrence without a reload', async () => {
    const first = await ui.row('Pay rent').getAttribute('data-id');
    await page.getByRole('checkbox', { name: 'Complete “Pay rent”' }).click();
    await expect
      .poll(
        async () =>
          (await ui.row('Pay rent').count()) === 1 ? ui.row('Pay rent').getAttribute('data-id') : null,
        {
          timeout: 10_000,
        },
      )
      .not.toBe(first);
    expect(await ui.row('Pay rent').locator('.due').textContent()).toContain('Fri 1 May 09:00');
  });

  it('delivers a reminder set two seconds ahead as a live notification', async () => {
    await ui.quickAdd('Call Alex tomorrow #work');
    await ui.row('Call Alex').getByRole('link', { name: 'Call Alex' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Call Alex');
    await dialog.getByRole('button', { name: 'Add reminder' }).click();
    await dialog.getByLabel('Reminder 1 type').selectOption('at');
    const at = new Date(Date.now() + 2_000).toISOString().slice(0, 19);
    await dialog.getByLabel('Reminder 1 time').fill(at);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect
      .poll(() => page.getByRole('button', { name: /^Notifications/ }).getAttribute('aria-label'), {
        timeout: 20_000,
      })
      .toBe('Notifications, 1 unread');
    await expect.poll(() => ui.row('Call Alex').getByRole('img', { name: '1 reminder' }).count()).toBe(1);
    await page.getByRole('button', { name: /^Notifications/ }).click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect.poll(() => panel.textContent()).toContain('Call Alex');
    await ui.shot('notifications');
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Notifications/ }).getAttribute('aria-label'))
      .toBe('Notifications, 0 unread');
    await page.keyboard.press('Escape');
  });

  it('edits the recurrence with the builder, which saves the matching RRULE', async () => {
    await ui.row('Pay rent').getByRole('link', { name: 'Pay rent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    const summary = dialog.getByText(/^Repeats /);
    await expect
      .poll(() => summary.textContent(), { timeout: 10_000 })
      .toBe('Repeats every month on the 1st');
    await dialog.getByLabel('Repeat', { exact: true }).selectOption('weekly');
    await dialog.getByRole('button', { name: 'Mon' }).click();
    await dialog.getByRole('button', { name: 'Wed' }).click();
    await expect.poll(() => summary.textContent()).toBe('Repeats every week on Monday and Wednesday');
    await ui.shot('editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => ui.row('Pay rent').textContent()).toContain('every week on Monday and Wednesday');
    const [saved] = (await ui.api('/tasks?q=rent')).items as { recurrence: unknown }[];
    expect(saved?.recurrence).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO,WE', from: 'due' });
  });

  it('shows server validation errors beside the field they name', async () => {
    const [task] = (await ui.api('/tasks?q=alex')).items as { id: string }[];
    await page.goto(`/tasks/${task!.id}`);
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Call Alex');
    await dialog.getByLabel('Description').fill('x'.repeat(20_001));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.locator('#description-error').textContent(), { timeout: 10_000 })
      .toBeTruthy();
    expect(await dialog.getByLabel('Description').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('searches, filters by tag, and keeps the view across a reload', async () => {
    await ui.quickAdd('Buy groceries tomorrow #home');
    await ui.quickAdd('Write report on Friday #work !urgent');
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await search.fill('groceries');
    await search.press('Enter');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('groceries');
    await search.fill('');
    await search.press('Enter');
    await expect.poll(() => ui.rows().count()).toBe(4);

    await page.getByRole('button', { name: /Filters/ }).click();
    await page.getByRole('button', { name: 'Tag #home' }).click();
    await expect.poll(() => ui.rows().count()).toBe(2);
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['home']);
    await page.getByRole('button', { name: 'Tag #home' }).click();
    await page.getByRole('button', { name: /Filters/ }).click();

    await page.goto('/?tag=work&sort=-priority');
    await page.reload();
    await expect.poll(() => ui.rows().allTextContents()).toHaveLength(2);
    expect(await ui.rows().first().textContent()).toContain('Write report');
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('-priority');
    expect(new URL(page.url()).search).toBe('?tag=work&sort=-priority');
  });

  it('moves and completes with the keyboard', async () => {
    await page.goto('/?tag=work&sort=-priority');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(2);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => ui.row('Write report').count(), { timeout: 10_000 }).toBe(0);
    await page.keyboard.press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    const focused = await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('aria-label');
    });
    expect(focused).toBe('Add a task');
  });

  it('sends an expired session back to the login page', async () => {
    await page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('todo.session') ?? '{}');
      const claims = btoa(JSON.stringify({ sub: saved.user.id, exp: 1 })).replace(/=+$/, '');
      localStorage.setItem('todo.session', JSON.stringify({ ...saved, token: `e30.${claims}.sig` }));
    });
    await page.reload();
    await expect
      .poll(() => page.getByText('Your session has expired').isVisible(), { timeout: 10_000 })
      .toBe(true);
    await ui.shot('login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('keeps the session across a reload, and logs out', async () => {
    await page.reload();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Log in' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('todo.session'))).toBeNull();
    await page.reload();
    expect(await page.getByRole('button', { name: 'Log in' }).isVisible()).toBe(true);
    expect(await page.getByText('Your session has expired').count()).toBe(0);
  });
});
