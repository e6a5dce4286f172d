import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest, dayAt, unnamedControls } from './console-under-test.js';

let ui: ConsoleUnderTest;
let page: Page;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`grace-${Date.now()}@example.com`);
  await page.goto('/');
  await seedTasks();
});

afterAll(() => ui?.close());

/** A lived-in list: overdue, recurring, reminders, tags, every priority, and one completed task. */
async function seedTasks() {
  // Whole hours in UTC (the browser's zone here), as people schedule things.
  const at = (days: number, hour: number) => dayAt(new Date(), days, hour);
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
  const create = (task: object) => ui.api('/tasks', { method: 'POST', body: JSON.stringify(task) });
  for (const task of seed) await create(task);
  await create({ title: 'Buy groceries', tags: ['home'], dueAt: at(1, 18) });
  await create({ title: 'Call Alex', tags: ['work'], dueAt: at(1, 10), reminders: [{ before: 'PT15M' }] });
  await create({
    title: 'Pay rent',
    priority: 'high',
    tags: ['home', 'money'],
    dueAt: at(6, 9),
    recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' },
  });
  const report = await create({ title: 'Write report', tags: ['work'], priority: 'urgent' });
  await ui.api(`/tasks/${report.id}/complete`, { method: 'POST' });
}

describe("the console's screens in a real browser", () => {
  it('highlights overdue tasks and shows priority, recurrence, reminders and tags at a glance', async () => {
    await page.goto('/');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(8);
    const overdue = ui.row('Submit expense report').locator('.due');
    expect(await overdue.textContent()).toContain('Overdue');
    expect(await overdue.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('600');
    expect(await ui.row('Team stand-up').textContent()).toContain('every weekday');
    expect(await ui.row('Water the plants').textContent()).toContain('every 3 days, counted from completion');
    expect(await ui.row('Renew passport').getByRole('img', { name: '2 reminders' }).count()).toBe(1);
    await ui.shot('tasks');
    await page.emulateMedia({ colorScheme: 'dark' });
    await ui.shot('tasks-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('has no axe-core violations, one h1 and one banner on every screen, at desktop and phone widths', async () => {
    // Every screen is audited before any assertion, so one run lists all that is wrong.
    const problems: object[] = [];
    const audit = async (screen: string, p: Page = page) => {
      const found = {
        violations: await axeViolations(p),
        // Counted in the whole DOM: a modal dialog makes the page behind it inert, not gone.
        h1: await p.locator('h1').count(),
        banners: await p.getByRole('banner', { includeHidden: true }).count(),
      };
      if (found.violations.length || found.h1 !== 1 || found.banners !== 1)
        problems.push({ screen, ...found });
    };
    await page.goto('/');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(8);
    await audit('tasks');
    await page.emulateMedia({ colorScheme: 'dark' });
    await audit('tasks, dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: /Filters/ }).click();
    await audit('filters open');
    await page.getByRole('button', { name: /Filters/ }).click();
    await page.getByRole('button', { name: 'Select' }).click();
    await audit('selecting');
    await page.getByRole('button', { name: 'Done selecting' }).click();
    await page.getByRole('textbox', { name: /Add/ }).fill('Plan trip in April #travel !high ~holidays');
    await expect
      .poll(() => page.getByRole('list', { name: 'Parsed details' }).textContent())
      .toContain('#travel');
    await audit('quick add chips');
    await page.getByRole('textbox', { name: /Add/ }).fill('');
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await audit('notifications');
    await page.keyboard.press('Escape');
    await ui.row('Renew passport').getByRole('link').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect
      .poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 })
      .toBe('Renew passport');
    await audit('editor');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await audit('shortcuts');
    await page.keyboard.press('Escape');
    await page.goto('/activity');
    await expect
      .poll(() => page.getByRole('list', { name: 'Activity' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await audit('activity');
    await page.goto('/settings');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Calendar feed URL' }).inputValue(), { timeout: 10_000 })
      .toMatch(/^http/);
    await audit('settings');
    for (const width of [360, 600, 900]) {
      await page.setViewportSize({ width, height: 740 });
      await page.goto('/');
      await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(8);
      await audit(`tasks at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    const anonymous = await ui.browser.newContext(ConsoleUnderTest.contextOptions(ui.app.url));
    try {
      const signIn = await anonymous.newPage();
      await signIn.goto('/login');
      await expect
        .poll(() => signIn.getByRole('button', { name: 'Log in' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await audit('login', signIn);
      await signIn.goto('/signup');
      await expect
        .poll(() => signIn.getByRole('button', { name: 'Sign up' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await audit('signup', signIn);
    } finally {
      await anonymous.close();
    }
    expect(problems).toEqual([]);
  });

  it('gives every control an accessible name, on the list, the filters and the editor', async () => {
    await page.goto('/');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Filters/ }).click();
    expect(unnamedControls(await page.locator('body').ariaSnapshot())).toEqual([]);
    await page.getByRole('button', { name: /Filters/ }).click();
    await ui.row('Renew passport').getByRole('link').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect
      .poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 })
      .toBe('Renew passport');
    await dialog.getByLabel('Repeat', { exact: true }).selectOption('monthly');
    expect(unnamedControls(await dialog.ariaSnapshot())).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('filters by priority, overdue, recurring and a due range, each kept in the URL', async () => {
    const filters = page.getByRole('button', { name: /Filters/ });
    const titles = () => ui.rows().locator('.title').allTextContents();
    const param = (name: string) => new URL(page.url()).searchParams.get(name);
    await filters.click();
    await page.getByRole('button', { name: 'urgent', exact: true }).click();
    await expect.poll(titles, { timeout: 10_000 }).toEqual(['Submit expense report']);
    expect(param('priority')).toBe('urgent');
    await page.getByRole('button', { name: 'urgent', exact: true }).click();
    await page.getByRole('checkbox', { name: 'Overdue' }).check();
    await expect.poll(titles, { timeout: 10_000 }).toEqual(['Submit expense report']);
    await page.getByRole('checkbox', { name: 'Overdue' }).uncheck();
    await page.getByRole('checkbox', { name: 'Recurring' }).check();
    await expect.poll(titles, { timeout: 10_000 }).toEqual(['Team stand-up', 'Water the plants', 'Pay rent']);
    expect(param('recurring')).toBe('true');
    await page.getByRole('checkbox', { name: 'Recurring' }).uncheck();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(tomorrow);
    await page.getByLabel('To', { exact: true }).fill(tomorrow);
    await expect.poll(titles, { timeout: 10_000 }).toEqual(['Team stand-up', 'Call Alex', 'Buy groceries']);
    expect([param('dueAfter'), param('dueBefore')]).toEqual([tomorrow, tomorrow]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(8);
    expect(new URL(page.url()).search).toBe('');
    await filters.click();
  });

  it('tags and deletes several tasks at once', async () => {
    await page.getByRole('button', { name: 'Select' }).click();
    await page.getByRole('checkbox', { name: 'Select “Buy groceries”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Call Alex”' }).check();
    await page.getByRole('textbox', { name: 'Tag to add' }).fill('errands');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => ui.row('Buy groceries').textContent(), { timeout: 10_000 }).toContain('#errands');
    expect(await ui.row('Call Alex').textContent()).toContain('#errands');
    await page.getByRole('checkbox', { name: 'Select “Buy groceries”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Call Alex”' }).check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => ui.row('Buy groceries').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ui.row('Call Alex').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Deleted 2 tasks' }).isVisible()).toBe(true);
    expect((await ui.api('/tasks?tag=errands')).items).toEqual([]);
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
    await ui.shot('activity');
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBe(6);
  });

  it('says it cannot reach the server, and recovers on Retry', async () => {
    const listRequests = (url: URL) => url.pathname === '/api/v1/tasks';
    await page.route(listRequests, (route) => route.abort('connectionrefused'));
    await page.goto('/?status=all');
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the server' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    await ui.shot('offline');
    await page.unroute(listRequests);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('offers Retry when completing a task fails, and completes it when Retry is pressed', async () => {
    await page.goto('/');
    await expect.poll(() => ui.row('Book dentist appointment').count(), { timeout: 10_000 }).toBe(1);
    const completeRequests = (url: URL) => url.pathname.endsWith('/complete');
    await page.route(completeRequests, (route) => route.abort('connectionrefused'));
    await page.getByRole('checkbox', { name: 'Complete “Book dentist appointment”' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Cannot reach the server' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    expect((await ui.api('/tasks?q=dentist')).items).toHaveLength(1);
    await page.unroute(completeRequests);
    await toast.getByRole('button', { name: 'Retry' }).click();
    await expect
      .poll(async () => (await ui.api('/tasks?q=dentist')).items.length, { timeout: 10_000 })
      .toBe(0);
    await expect.poll(() => ui.row('Book dentist appointment').count(), { timeout: 10_000 }).toBe(0);
  });

  it('fits a 360 px wide phone without horizontal scrolling, in light and dark', async () => {
    const phone = await ui.browser.newContext(
      ConsoleUnderTest.contextOptions(ui.app.url, {
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        storageState: await ui.context.storageState(),
      }),
    );
    const mobile = await phone.newPage();
    try {
      await mobile.goto('/');
      await expect.poll(() => ui.rows(mobile).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const overflow = () => mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await ui.shot('mobile', mobile);
      await mobile.getByRole('button', { name: /Filters/ }).click();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await mobile.getByRole('button', { name: /Filters/ }).click();
      await ui.rows(mobile).first().getByRole('link').click();
      await expect
        .poll(() => mobile.getByRole('dialog', { name: 'Edit task' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await ui.shot('mobile-editor', mobile);
      await mobile.emulateMedia({ colorScheme: 'dark' });
      await mobile.goto('/');
      await expect.poll(() => ui.rows(mobile).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await ui.shot('mobile-dark', mobile);
    } finally {
      await phone.close();
    }
  });

  it('pages through a long list by cursor while keeping only the visible rows in the DOM', async () => {
    const before = (await ui.api('/tasks?limit=200')).items.length as number;
    const queue = Array.from({ length: 150 }, (_, i) => i);
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        // Zero-padded so no title contains another ("item 14" would also match "item 145").
        const title = `Imported item ${String(i + 1).padStart(3, '0')}`;
        await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title }) });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const total = before + 150;
    await page.goto('/');
    const footerLine = page.getByRole('status').filter({ hasText: /tasks/ });
    const footer = { textContent: async () => (await footerLine.textContent())?.trim() };
    await expect
      .poll(() => footer.textContent(), { timeout: 10_000 })
      .toBe('100 tasks loaded, scroll for more');
    for (let i = 0; i < 50 && (await footer.textContent()) !== `${total} tasks`; i++) {
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(100);
    }
    expect(await footer.textContent()).toBe(`${total} tasks`);
    // Virtualised: only the rows near the viewport exist, not all of them.
    expect(await ui.rows().count()).toBeLessThan(total / 2);
    const inOrder = (await ui.api('/tasks?limit=200&sort=due')).items as { title: string }[];
    await page.mouse.wheel(0, 20_000);
    await expect.poll(() => ui.row(inOrder.at(-1)!.title).count()).toBe(1);
  });
});
