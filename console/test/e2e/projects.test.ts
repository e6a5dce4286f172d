import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

// Two people in two browser contexts: Ada owns projects and shares one with Grace.
const stamp = Date.now();
const grace = `grace-${stamp}@example.com`;
let ui: ConsoleUnderTest;
let page: Page;
let graceContext: BrowserContext;
let gracePage: Page;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`ada-${stamp}@example.com`);
  graceContext = await ui.browser.newContext(ConsoleUnderTest.contextOptions(ui.app.url));
  await ui.signUpViaApi(grace, graceContext, 'Grace Hopper');
  gracePage = await graceContext.newPage();
  await page.goto('/');
});

afterAll(async () => {
  await graceContext?.close();
  await ui?.close();
});

const sidebar = (p = page) => p.getByRole('navigation', { name: 'Lists' });
const projectLink = (name: string, p = page) =>
  sidebar(p).getByRole('link', { name: new RegExp(`^${name}`) });
const titles = (p = page) => p.locator('project-page task-groups .title').allTextContents();
const projectId = () => decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);

async function addProject(name: string, colour: string) {
  await sidebar().getByRole('button', { name: 'Add project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('radio', { name: colour }).check();
  await dialog.getByRole('button', { name: 'Add project' }).click();
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
    .toBe(name);
}

async function quickAdd(text: string, p = page) {
  const box = p.getByRole('textbox', { name: /Add/ });
  await box.fill(text);
  await box.press('Enter');
  await expect.poll(() => box.inputValue()).toBe('');
}

describe('projects, their order and sharing, in two live browser contexts', () => {
  it('creates projects from the sidebar, with a colour and one level of folders', async () => {
    await expect
      .poll(
        () =>
          sidebar()
            .getByRole('link', { name: /^Inbox/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    await addProject('Home', 'Green');
    expect(await axeViolations(page)).toEqual([]);
    await addProject('Garden', 'Teal');
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit project' });
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByLabel('Name').fill('Garden club');
    await dialog.getByLabel('Folder').selectOption({ label: 'Home' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() =>
        sidebar()
          .getByRole('listitem')
          .filter({ hasText: /^\s*Home/ })
          .getByRole('link')
          .allTextContents(),
      )
      .toEqual([expect.stringContaining('Home'), expect.stringContaining('Garden club')]);
  });

  it('reorders a project by keyboard and by mouse, and the order is the server’s', async () => {
    await quickAdd('Prune the roses');
    await quickAdd('Buy seeds');
    await quickAdd('Water the lawn');
    await expect
      .poll(() => titles(), { timeout: 10_000 })
      .toEqual(['Prune the roses', 'Buy seeds', 'Water the lawn']);
    const live = page.locator('project-page task-groups [role=status]');
    await page.getByRole('button', { name: 'Move “Water the lawn”' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => live.textContent()).toContain('Position 1 of 3 in Tasks');
    await page.keyboard.press('Space');
    const serverOrder = async () =>
      (await ui.api(`/tasks?projectId=${projectId()}&sort=manual&status=open`)).items.map(
        (t: { title: string }) => t.title,
      );
    await expect
      .poll(serverOrder, { timeout: 10_000 })
      .toEqual(['Water the lawn', 'Prune the roses', 'Buy seeds']);
    expect(await titles()).toEqual(['Water the lawn', 'Prune the roses', 'Buy seeds']);

    const handle = await page.getByRole('button', { name: 'Move “Buy seeds”' }).boundingBox();
    const first = await page.locator('project-page task-groups li[data-id]').first().boundingBox();
    if (!handle || !first) throw new Error('rows not on screen');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x, handle.y - 10, { steps: 3 });
    await page.mouse.move(first.x + 60, first.y + 4, { steps: 6 });
    await page.mouse.up();
    await expect
      .poll(serverOrder, { timeout: 10_000 })
      .toEqual(['Buy seeds', 'Water the lawn', 'Prune the roses']);
  });

  it('shares a project: the member sees it, and a task the owner adds appears live for them', async () => {
    await page.getByRole('button', { name: 'Share' }).click();
    const share = page.getByRole('dialog', { name: 'Share “Garden club”' });
    await share.getByLabel('Email to invite').fill(grace);
    await share.getByLabel('Role of the invited member').selectOption('editor');
    await share.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(() => share.getByRole('list', { name: 'Members' }).textContent(), { timeout: 10_000 })
      .toContain('Grace Hopper');
    expect(await axeViolations(page)).toEqual([]);
    await share.getByRole('button', { name: 'Done' }).click();

    await gracePage.goto('/');
    await projectLink('Garden club', gracePage).click();
    await expect
      .poll(() => titles(gracePage), { timeout: 10_000 })
      .toEqual(['Buy seeds', 'Water the lawn', 'Prune the roses']);
    expect(await gracePage.getByText('Shared with you · editor').count()).toBe(1);
    expect(await axeViolations(gracePage)).toEqual([]);

    await quickAdd('Rake the leaves');
    await expect
      .poll(() => titles(gracePage), { timeout: 10_000 })
      .toEqual(['Buy seeds', 'Water the lawn', 'Prune the roses', 'Rake the leaves']);
  });

  it('assigns a task to a member in the editor, and both see who it is assigned to', async () => {
    await page.getByRole('link', { name: 'Buy seeds' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => editor.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Buy seeds');
    await editor.getByLabel('Assigned to').selectOption({ label: 'Grace Hopper' });
    const row = (p: Page) =>
      p.locator('project-page task-groups li[data-id]').filter({ hasText: 'Buy seeds' });
    await expect
      .poll(() => row(page).textContent(), { timeout: 10_000 })
      .toContain('Assigned to Grace Hopper');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => row(gracePage).textContent(), { timeout: 10_000 })
      .toContain('Assigned to Grace Hopper');
  });

  it('lets the owner make a member a viewer, who can then only read', async () => {
    await page.getByRole('button', { name: 'Share' }).click();
    const share = page.getByRole('dialog', { name: 'Share “Garden club”' });
    await share.getByLabel('Role of Grace Hopper').selectOption('viewer');
    await expect
      .poll(() => share.getByRole('status').textContent(), { timeout: 10_000 })
      .toContain('a viewer');
    await share.getByRole('button', { name: 'Done' }).click();
    await gracePage.reload();
    await expect.poll(() => titles(gracePage), { timeout: 10_000 }).toHaveLength(4);
    expect(await gracePage.getByText('Shared with you · viewer').count()).toBe(1);
    expect(await gracePage.getByRole('textbox', { name: /Add/ }).count()).toBe(0);
    expect(await gracePage.getByRole('button', { name: /^Move/ }).count()).toBe(0);
  });

  it('lets a member leave, and the project leaves their sidebar', async () => {
    await gracePage.getByRole('button', { name: 'Members' }).click();
    await gracePage.getByRole('dialog').getByRole('button', { name: 'Leave project' }).click();
    await expect.poll(() => new URL(gracePage.url()).pathname, { timeout: 10_000 }).toBe('/today');
    expect(await projectLink('Garden club', gracePage).count()).toBe(0);
  });

  it('fits a project page and its Share dialog on a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Share' }).click();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page
      .getByRole('dialog', { name: 'Share “Garden club”' })
      .getByRole('button', { name: 'Done' })
      .click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('archives and deletes a project through in-page dialogs, never the browser’s', async () => {
    let nativeDialogs = 0;
    page.on('dialog', (d) => {
      nativeDialogs++;
      d.dismiss();
    });
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => projectLink('Garden club').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await expect.poll(() => projectLink('Garden club').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Garden club”?' });
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await projectLink('Garden club').count()).toBe(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete project' }).click();
    await expect.poll(() => projectLink('Garden club').count(), { timeout: 10_000 }).toBe(0);
    expect(nativeDialogs).toBe(0);
  });
});

describe('moving a task to another project', () => {
  const order = async (id: string) =>
    (await ui.api(`/tasks?projectId=${id}&sort=manual&status=open`)).items.map(
      (t: { title: string }) => t.title,
    );
  const projectOf = async (title: string) =>
    (await ui.api(`/tasks?q=${encodeURIComponent(title)}`)).items[0].projectId as string;
  let kitchen: string;
  let garage: string;

  beforeAll(async () => {
    kitchen = (await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Kitchen' }) })).id;
    garage = (await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Garage' }) })).id;
    for (const title of ['Fix the tap', 'Paint the door', 'Clean the oven'])
      await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title, projectId: kitchen }) });
    await page.goto(`/projects/${kitchen}`);
  });

  it('moves a task by dropping it on a project in the sidebar, and Undo puts it back in its place', async () => {
    await expect
      .poll(() => titles(), { timeout: 15_000 })
      .toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    const handle = await page.getByRole('button', { name: 'Move “Paint the door”' }).boundingBox();
    const link = await projectLink('Garage').boundingBox();
    if (!handle || !link) throw new Error('handle or sidebar link not on screen');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x - 20, handle.y, { steps: 3 });
    await page.mouse.move(link.x + link.width / 2, link.y + link.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => projectOf('Paint the door'), { timeout: 10_000 }).toBe(garage);
    expect(await titles()).toEqual(['Fix the tap', 'Clean the oven']);
    const toast = page.locator('toast-stack .toast').filter({ hasText: 'Moved “Paint the door” to Garage' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => projectOf('Paint the door'), { timeout: 10_000 }).toBe(kitchen);
    expect(await order(kitchen)).toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    await expect.poll(() => titles()).toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
  });

  it('moves a task with the editor’s Project menu, with Undo too', async () => {
    await page.getByRole('link', { name: 'Fix the tap' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit task' });
    await expect.poll(() => editor.getByLabel('Title').inputValue(), { timeout: 10_000 }).toBe('Fix the tap');
    await editor.getByLabel('Project').selectOption({ label: 'Garage' });
    await expect.poll(() => projectOf('Fix the tap'), { timeout: 10_000 }).toBe(garage);
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => titles()).toEqual(['Paint the door', 'Clean the oven']);
    await projectLink('Garage').click();
    await expect.poll(() => titles(), { timeout: 10_000 }).toEqual(['Fix the tap']);
    const toast = page.locator('toast-stack .toast').filter({ hasText: 'Moved “Fix the tap” to Garage' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => projectOf('Fix the tap'), { timeout: 10_000 }).toBe(kitchen);
    expect(await order(kitchen)).toEqual(['Fix the tap', 'Paint the door', 'Clean the oven']);
    await expect.poll(() => titles()).toEqual([]);
  });
});
