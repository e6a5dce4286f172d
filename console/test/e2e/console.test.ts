import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type RunningApp, startApp } from '../harness/app-server.js';
import { launchChromium } from '../harness/chromium.js';

const screenshots = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');
const email = `ada-${Date.now()}@example.com`;

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  app = await startApp(await buildApp());
  await mkdir(screenshots, { recursive: true });
  context = await browser.newContext({
    baseURL: app.url,
    locale: 'en-GB',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

const rows = (p: Page = page) => p.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
const row = (title: string) => rows().filter({ hasText: title });
const shot = (name: string, p: Page = page) => p.screenshot({ path: join(screenshots, `${name}.png`) });

/** Lines of an ARIA snapshot for interactive controls without an accessible name. */
function unnamedControls(snapshot: string): string[] {
  return snapshot
    .split('\n')
    .filter((line) =>
      /^\s*- (button|checkbox|radio|textbox|searchbox|combobox|spinbutton|link|slider)( \[[^\]]*\])*:?\s*$/.test(
        line,
      ),
    );
}

async function quickAdd(text: string) {
  const box = page.getByRole('textbox', { name: /Add/ });
  await box.fill(text);
  await box.press('Enter');
  await expect.poll(() => box.inputValue()).toBe('');
}

async function apiAs(path: string, init: RequestInit = {}) {
  const token = await page.evaluate(
    () => JSON.parse(localStorage.getItem('todo.session') ?? '{}').token as string,
  );
  const res = await fetch(`${app.url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

describe('the console in a real browser', () => {
  it('signs a new user up and shows an empty list', async () => {
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await shot('signup');
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
    expect(parsed).toMatch(/1 (Dec|Jan).* 09:00/);
    await shot('quick-add');
    await box.press('Enter');
    await expect.poll(() => row('Pay rent').count()).toBe(1);
    const text = await row('Pay rent').textContent();
    expect(text).toContain('every month on the 1st');
    expect(text).toContain('#home');
    expect(text).toContain('High');
  });

  it('completes the recurring task and shows its next occurrence without a reload', async () => {
    const first = await row('Pay rent').getAttribute('data-id');
    const firstDue = await row('Pay rent').locator('.due').textContent();
    await page.getByRole('checkbox', { name: 'Complete “Pay rent”' }).click();
    await expect
      .poll(
        async () => ((await row('Pay rent').count()) === 1 ? row('Pay rent').getAttribute('data-id') : null),
        {
          timeout: 10_000,
        },
      )
      .not.toBe(first);
    const nextDue = await row('Pay rent').locator('.due').textContent();
    expect(nextDue).not.toBe(firstDue);
    expect(nextDue).toMatch(/1 (Jan|Feb).* 09:00|Mon|Tue|Wed|Thu|Fri|Sat|Sun/);
  });

  it('delivers a reminder set two seconds ahead as a live notification', async () => {
    await quickAdd('Call Alex tomorrow #work');
    await row('Call Alex').getByRole('link', { name: 'Call Alex' }).click();
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
    await expect.poll(() => row('Call Alex').getByRole('img', { name: '1 reminder' }).count()).toBe(1);
    await page.getByRole('button', { name: /^Notifications/ }).click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect.poll(() => panel.textContent()).toContain('Call Alex');
    await shot('notifications');
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Notifications/ }).getAttribute('aria-label'))
      .toBe('Notifications, 0 unread');
    await page.keyboard.press('Escape');
  });

  it('edits the recurrence with the builder, which saves the matching RRULE', async () => {
    await row('Pay rent').getByRole('link', { name: 'Pay rent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    const summary = dialog.getByText(/^Repeats /);
    await expect
      .poll(() => summary.textContent(), { timeout: 10_000 })
      .toBe('Repeats every month on the 1st');
    await dialog.getByLabel('Repeat', { exact: true }).selectOption('weekly');
    await dialog.getByRole('button', { name: 'Mon' }).click();
    await dialog.getByRole('button', { name: 'Wed' }).click();
    await expect.poll(() => summary.textContent()).toBe('Repeats every week on Monday and Wednesday');
    await shot('editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => row('Pay rent').textContent()).toContain('every week on Monday and Wednesday');
    const [saved] = (await apiAs('/tasks?q=rent')).items as { recurrence: unknown }[];
    expect(saved?.recurrence).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO,WE', from: 'due' });
  });

  it('shows server validation errors beside the field they name', async () => {
    const [task] = (await apiAs('/tasks?q=alex')).items as { id: string }[];
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
    await quickAdd('Buy groceries tomorrow #home');
    await quickAdd('Write report on Friday #work !urgent');
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await search.fill('groceries');
    await search.press('Enter');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('groceries');
    await search.fill('');
    await search.press('Enter');
    await expect.poll(() => rows().count()).toBe(4);

    await page.getByRole('button', { name: /Filters/ }).click();
    await page.getByRole('button', { name: 'Tag home' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['home']);
    await page.getByRole('button', { name: 'Tag home' }).click();
    await page.getByRole('button', { name: /Filters/ }).click();

    await page.goto('/?tag=work&sort=-priority');
    await page.reload();
    await expect.poll(() => rows().allTextContents()).toHaveLength(2);
    expect(await rows().first().textContent()).toContain('Write report');
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('-priority');
    expect(new URL(page.url()).search).toBe('?tag=work&sort=-priority');
  });

  it('moves and completes with the keyboard', async () => {
    await page.goto('/?tag=work&sort=-priority');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => row('Write report').count(), { timeout: 10_000 }).toBe(0);
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

  it('says it cannot reach the server, and recovers on Retry', async () => {
    const listRequests = (url: URL) => url.pathname === '/api/v1/tasks';
    await page.route(listRequests, (route) => route.abort('connectionrefused'));
    await page.goto('/?status=all');
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the server' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    await shot('offline');
    await page.unroute(listRequests);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
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
    await shot('login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });
  it('highlights overdue tasks and shows priority, recurrence, reminders and tags at a glance', async () => {
    // Whole hours in UTC (the browser's zone here), as people schedule things.
    const at = (days: number, hour: number) => {
      const d = new Date(Date.now() + days * 86_400_000);
      d.setUTCHours(hour, 0, 0, 0);
      return d.toISOString();
    };
    const seed = [
      {
        title: 'Submit expense report',
        priority: 'urgent',
        tags: ['work'],
        dueAt: at(-1, 17),
      },
      {
        title: 'Team stand-up',
        tags: ['work'],
        dueAt: at(1, 9),
        recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', from: 'due' },
      },
      {
        title: 'Water the plants',
        priority: 'low',
        tags: ['home'],
        dueAt: at(2, 8),
        recurrence: { rule: 'FREQ=DAILY;INTERVAL=3', from: 'completion' },
      },
      {
        title: 'Renew passport',
        priority: 'medium',
        tags: ['admin', 'travel'],
        dueAt: at(9, 12),
        reminders: [{ before: 'P1D' }, { before: 'PT1H' }],
      },
      { title: 'Book dentist appointment', tags: ['health'] },
    ];
    for (const task of seed) await apiAs('/tasks', { method: 'POST', body: JSON.stringify(task) });
    await page.goto('/');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(8);
    const overdue = row('Submit expense report').locator('.due');
    expect(await overdue.textContent()).toContain('Overdue');
    expect(await overdue.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('600');
    expect(await row('Team stand-up').textContent()).toContain('every weekday');
    expect(await row('Water the plants').textContent()).toContain('every 3 days, counted from completion');
    expect(await row('Renew passport').getByRole('img', { name: '2 reminders' }).count()).toBe(1);
    await shot('tasks');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('tasks-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('gives every control an accessible name, on the list, the filters and the editor', async () => {
    await page.goto('/');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Filters/ }).click();
    expect(unnamedControls(await page.locator('body').ariaSnapshot())).toEqual([]);
    await page.getByRole('button', { name: /Filters/ }).click();
    await row('Renew passport').getByRole('link').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect
      .poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 })
      .toBe('Renew passport');
    await dialog.getByLabel('Repeat', { exact: true }).selectOption('monthly');
    expect(unnamedControls(await dialog.ariaSnapshot())).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('tags and deletes several tasks at once', async () => {
    await page.getByRole('button', { name: 'Select' }).click();
    await page.getByRole('checkbox', { name: 'Select “Buy groceries”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Call Alex”' }).check();
    await page.getByRole('textbox', { name: 'Tag to add' }).fill('errands');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => row('Buy groceries').textContent(), { timeout: 10_000 }).toContain('#errands');
    expect(await row('Call Alex').textContent()).toContain('#errands');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('checkbox', { name: 'Select “Buy groceries”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Call Alex”' }).check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row('Buy groceries').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => row('Call Alex').count(), { timeout: 10_000 }).toBe(0);
    expect((await apiAs('/tasks?tag=errands')).items).toEqual([]);
    await page.getByRole('button', { name: 'Done selecting' }).click();
  });

  it('shows the audit trail on the activity page', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    const trail = page.getByRole('list', { name: 'Activity' });
    await expect.poll(() => trail.textContent(), { timeout: 10_000 }).toContain('Deleted');
    const text = await trail.textContent();
    expect(text).toContain('Completed');
    expect(text).toContain('Pay rent');
    expect(new URL(page.url()).pathname).toBe('/activity');
    await shot('activity');
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(6);
  });

  it('fits a 360 px wide phone without horizontal scrolling, in light and dark', async () => {
    const phone = await browser.newContext({
      baseURL: app.url,
      locale: 'en-GB',
      timezoneId: 'UTC',
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    const mobile = await phone.newPage();
    try {
      await mobile.goto('/');
      await expect.poll(() => rows(mobile).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const overflow = () => mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot('mobile', mobile);
      await mobile.getByRole('button', { name: /Filters/ }).click();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await mobile.getByRole('button', { name: /Filters/ }).click();
      await rows(mobile).first().getByRole('link').click();
      await expect
        .poll(() => mobile.getByRole('dialog', { name: 'Edit task' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot('mobile-editor', mobile);
      await mobile.emulateMedia({ colorScheme: 'dark' });
      await mobile.goto('/');
      await expect.poll(() => rows(mobile).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await shot('mobile-dark', mobile);
    } finally {
      await phone.close();
    }
  });
});
