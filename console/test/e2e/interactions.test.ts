import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

let ui: ConsoleUnderTest;
let page: Page;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`undo-${Date.now()}@example.com`);
  await page.goto('/');
  for (const title of ['Alpha task', 'Bravo task', 'Charlie task', 'Delta task'])
    await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title }) });
});

afterAll(() => ui?.close());

/** The element that has focus, looking through shadow roots: its data-id, or its accessible label. */
function focused(p: Page = page) {
  return p.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-id') ?? el?.getAttribute('aria-label') ?? el?.tagName ?? null;
  });
}

async function openTasks(titles: string[]): Promise<Record<string, string>> {
  const { items } = (await ui.api('/tasks?limit=200&status=all')) as {
    items: { id: string; title: string; completed: boolean }[];
  };
  return Object.fromEntries(
    items.filter((t) => titles.includes(t.title)).map((t) => [t.title, t.completed ? 'done' : 'open']),
  );
}

describe('undo instead of confirmation dialogs', () => {
  it('completes a task at once and opens it again on Undo, from the keyboard', async () => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      d.dismiss();
    });
    await page.goto('/');
    await expect.poll(() => ui.row('Alpha task').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('checkbox', { name: 'Complete “Alpha task”' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Completed “Alpha task”' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await expect.poll(() => openTasks(['Alpha task'])).toEqual({ 'Alpha task': 'done' });
    await expect.poll(() => ui.row('Alpha task').count()).toBe(0);
    const undo = toast.getByRole('button', { name: 'Undo' });
    await undo.focus();
    expect(await focused()).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await expect.poll(() => openTasks(['Alpha task']), { timeout: 10_000 }).toEqual({ 'Alpha task': 'open' });
    await expect.poll(() => ui.row('Alpha task').count(), { timeout: 10_000 }).toBe(1);
    expect(await toast.count()).toBe(0);
    const said = page.getByRole('status').filter({ hasText: 'Reopened “Alpha task”' });
    await expect.poll(() => said.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(dialogs).toBe(0);
  });

  it('completes a selection at once and reopens only what it completed on Undo', async () => {
    await page.getByRole('button', { name: 'Select' }).click();
    await page.getByRole('checkbox', { name: 'Select “Bravo task”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Charlie task”' }).check();
    await page
      .getByRole('toolbar', { name: 'Bulk actions' })
      .getByRole('button', { name: 'Complete' })
      .click();
    const toast = page.getByRole('status').filter({ hasText: 'Completed 2 tasks' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await openTasks(['Bravo task', 'Charlie task'])).toEqual({
      'Bravo task': 'done',
      'Charlie task': 'done',
    });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(() => openTasks(['Bravo task', 'Charlie task']), { timeout: 10_000 })
      .toEqual({ 'Bravo task': 'open', 'Charlie task': 'open' });
    await expect.poll(() => ui.row('Charlie task').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Done selecting' }).click();
  });

  it('keeps a toast with Undo while it is hovered or focused, and lets it go after', async () => {
    // A fake clock in a second tab: the toast's 10 s are fast-forwarded instead of waited for.
    const context = await ui.browser.newContext(
      ConsoleUnderTest.contextOptions(ui.app.url, { storageState: await ui.context.storageState() }),
    );
    const tab = await context.newPage();
    try {
      await tab.clock.install();
      await tab.goto('/');
      await expect
        .poll(() => ui.rows(tab).filter({ hasText: 'Delta task' }).count(), { timeout: 10_000 })
        .toBe(1);
      await tab.getByRole('checkbox', { name: 'Complete “Delta task”' }).click();
      const toast = tab.getByRole('status').filter({ hasText: 'Completed “Delta task”' });
      await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
      await toast.hover();
      await tab.clock.fastForward(30_000);
      expect(await toast.isVisible()).toBe(true);
      await tab.mouse.move(5, 5);
      await toast.getByRole('button', { name: 'Undo' }).focus();
      await tab.clock.fastForward(30_000);
      expect(await toast.isVisible()).toBe(true);
      await tab.locator('body').click({ position: { x: 5, y: 5 } });
      await tab.clock.fastForward(30_000);
      await expect.poll(() => toast.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  // The Trash (CONTRACT.md, extensions) is the API's; until it answers, there is nothing real to undo against.
  const hasTrash = () =>
    ui.api('/trash').then(
      () => true,
      () => false,
    );

  it('deletes from the editor at once and brings the task back from the Trash on Undo', async (ctx) => {
    if (!(await hasTrash())) ctx.skip();
    const echo = await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title: 'Echo task' }) });
    await page.goto(`/tasks/${echo.id}`);
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Echo task');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const toast = page.getByRole('status').filter({ hasText: 'Deleted “Echo task”' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => ui.row('Echo task').count()).toBe(0);
    await expect(ui.api(`/tasks/${echo.id}`)).rejects.toThrow(/404/);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => ui.row('Echo task').count(), { timeout: 10_000 }).toBe(1);
    expect((await ui.api(`/tasks/${echo.id}`)).title).toBe('Echo task');
  });

  it('deletes a selection at once and restores all of it on Undo', async (ctx) => {
    if (!(await hasTrash())) ctx.skip();
    for (const title of ['Foxtrot task', 'Golf task'])
      await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title }) });
    await page.goto('/');
    await expect.poll(() => ui.row('Golf task').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Select' }).click();
    await page.getByRole('checkbox', { name: 'Select “Foxtrot task”' }).check();
    await page.getByRole('checkbox', { name: 'Select “Golf task”' }).check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Deleted 2 tasks' });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await openTasks(['Foxtrot task', 'Golf task'])).toEqual({});
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(() => openTasks(['Foxtrot task', 'Golf task']), { timeout: 10_000 })
      .toEqual({ 'Foxtrot task': 'open', 'Golf task': 'open' });
    await expect.poll(() => ui.row('Golf task').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Done selecting' }).click();
  });
});

describe('focus follows the keyboard', () => {
  it('moves real focus to the row on j and k, and back to it when the editor closes', async () => {
    await page.goto('/');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const ids = await ui.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await expect.poll(() => focused()).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(() => focused()).toBe(ids[1]);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(() => focused()).toBe(ids[1]);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focused()).toBe(ids[1]);
    await page.keyboard.press('e');
    await expect.poll(() => dialog.getByLabel('Title').isVisible(), { timeout: 10_000 }).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focused()).toBe(ids[1]);
  });
});

describe('undo from the keyboard', () => {
  it('completes the focused task with x and opens it again with z', async () => {
    await page.goto('/');
    await expect.poll(() => ui.rows().count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const title = (await ui.rows().first().locator('.title').textContent())!;
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => openTasks([title]), { timeout: 10_000 }).toEqual({ [title]: 'done' });
    await page.keyboard.press('z');
    await expect.poll(() => openTasks([title]), { timeout: 10_000 }).toEqual({ [title]: 'open' });
    await expect.poll(() => ui.row(title).count(), { timeout: 10_000 }).toBe(1);
  });
});

describe('quick add chips', () => {
  it('un-parses a chip on click and files the reminder it read', async () => {
    const box = page.getByRole('textbox', { name: /Add/ });
    await box.fill('Call Sam tomorrow at 10am remind me 15 minutes before #calls');
    const chips = page.getByRole('list', { name: 'Parsed details' });
    await expect.poll(() => chips.textContent(), { timeout: 10_000 }).toContain('Remind 15 minutes before');
    const tag = chips.getByRole('button', { name: '#calls, from “#calls”: keep as text' });
    await tag.click();
    await expect.poll(() => tag.count()).toBe(0);
    expect(await chips.textContent()).toContain('Call Sam #calls');
    expect(await focused()).toBe('Add a task');
    await box.press('Enter');
    await expect.poll(() => ui.row('Call Sam #calls').count(), { timeout: 10_000 }).toBe(1);
    const { items } = (await ui.api('/tasks?q=Sam')) as {
      items: { tags: string[]; reminders: unknown[]; dueAt: string }[];
    };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ tags: [], reminders: [{ before: 'PT15M' }] });
    expect(items[0]!.dueAt).toMatch(/T10:00:00\.000Z$/);
  });

  it('files "~errands" and "in Side project" into those projects', async (ctx) => {
    // Projects (CONTRACT.md, extensions) are the API's; until /projects answers, there is nothing to file into.
    const projects = await ui.api('/projects').catch(() => null);
    if (!projects) ctx.skip();
    const errands = await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Errands' }) });
    const side = await ui.api('/projects', {
      method: 'POST',
      body: JSON.stringify({ name: 'Side project' }),
    });
    await page.goto('/');
    const box = page.getByRole('textbox', { name: /Add/ });
    const chips = page.getByRole('list', { name: 'Parsed details' });
    await box.fill('Buy stamps ~errands');
    await expect.poll(() => chips.textContent(), { timeout: 10_000 }).toContain('Project: Errands');
    await box.press('Enter');
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe('');
    await ui.quickAdd('Write the README in side project tomorrow');
    const filed = async (title: string) =>
      ((await ui.api(`/tasks?q=${encodeURIComponent(title)}&status=all`)).items as { projectId: string }[])[0]
        ?.projectId;
    await expect.poll(() => filed('Buy stamps'), { timeout: 10_000 }).toBe(errands.id);
    await expect.poll(() => filed('Write the README'), { timeout: 10_000 }).toBe(side.id);
  });

  it('says a named project that does not exist, instead of dropping it', async () => {
    const box = page.getByRole('textbox', { name: /Add/ });
    await box.fill('Buy milk ~groceries');
    await box.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'There is no project “groceries”' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: /from “~groceries”: keep as text/ }).click();
    await box.press('Enter');
    await expect.poll(() => ui.row('Buy milk ~groceries').count(), { timeout: 10_000 }).toBe(1);
  });
});

describe('the notification bell', () => {
  it('keeps the bell visible beside the unread badge at every width', async () => {
    const remindAt = new Date(Date.now() + 1_000).toISOString();
    await ui.api('/tasks', {
      method: 'POST',
      body: JSON.stringify({ title: 'Ring the bell', reminders: [{ remindAt }] }),
    });
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await expect
      .poll(() => bell.getAttribute('aria-label'), { timeout: 20_000 })
      .toBe('Notifications, 1 unread');
    for (const width of [320, 360, 480, 720, 1280]) {
      await page.setViewportSize({ width, height: 700 });
      const icon = await bell.locator('svg').boundingBox();
      const badge = await page.locator('notification-bell .badge').boundingBox();
      const button = await bell.boundingBox();
      expect(icon && badge && button, `at ${width} px`).toBeTruthy();
      const overlap =
        Math.max(0, Math.min(icon!.x + icon!.width, badge!.x + badge!.width) - Math.max(icon!.x, badge!.x)) *
        Math.max(0, Math.min(icon!.y + icon!.height, badge!.y + badge!.height) - Math.max(icon!.y, badge!.y));
      // At most a corner of the bell: a quarter of its area, and its left half and bottom stay clear.
      expect(overlap / (icon!.width * icon!.height), `at ${width} px`).toBeLessThanOrEqual(0.25);
      expect(badge!.x, `at ${width} px`).toBeGreaterThan(icon!.x + icon!.width / 2);
      expect(button!.x + button!.width, `the bell fits at ${width} px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('density and recovery', () => {
  it('makes rows denser with the compact setting, kept across a reload', async () => {
    await page.goto('/');
    await expect.poll(() => ui.row('Bravo task').count(), { timeout: 10_000 }).toBe(1);
    const height = () => ui.row('Bravo task').evaluate((r) => r.getBoundingClientRect().height);
    const comfortable = await height();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Compact' }).check();
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await expect.poll(() => ui.row('Bravo task').count(), { timeout: 10_000 }).toBe(1);
    const compact = await height();
    expect(compact).toBeLessThan(comfortable * 0.85);
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await expect.poll(() => ui.row('Bravo task').count(), { timeout: 10_000 }).toBe(1);
    expect(await height()).toBe(compact);
    await page.goto('/settings');
    expect(await page.getByRole('radio', { name: 'Compact' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Comfortable' }).check();
    await page.goto('/');
    await expect.poll(() => ui.row('Bravo task').count(), { timeout: 10_000 }).toBe(1);
    expect(await height()).toBe(comfortable);
  });

  it('takes a stale "cannot reach the server" banner away once the server answers again', async () => {
    const lists = (url: URL) => url.pathname === '/api/v1/tasks';
    await page.route(lists, (route) =>
      route.request().method() === 'GET' ? route.abort('connectionrefused') : route.fallback(),
    );
    await page.goto('/');
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the server' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    await page.unroute(lists);
    // Nobody presses Retry: another request (a quick add) is answered, and the banner catches up.
    await ui.quickAdd('Proof the server is back');
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ui.row('Proof the server is back').count(), { timeout: 10_000 }).toBe(1);
  });

  it('opens a task from the list when the server cannot be reached, says so, and saves once it can', async () => {
    await expect.poll(() => ui.row('Bravo task').count(), { timeout: 10_000 }).toBe(1);
    const oneTask = (url: URL) => /^\/api\/v1\/tasks\/[^/]+$/.test(url.pathname);
    await page.route(oneTask, (route) => route.abort('internetdisconnected'));
    await ui.row('Bravo task').getByRole('link').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => dialog.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Bravo task');
    expect(await dialog.getByRole('status').textContent()).toContain('You are offline');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.unroute(oneTask);
    await dialog.getByLabel('Title').fill('Bravo task, edited offline');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ui.row('Bravo task, edited offline').count(), { timeout: 10_000 }).toBe(1);
    expect(await openTasks(['Bravo task, edited offline'])).toEqual({ 'Bravo task, edited offline': 'open' });
  });
});
