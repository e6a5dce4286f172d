import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

// One project's tasks as a tree: nested rows, expand and collapse, and moves into and out of parents by
// mouse and keyboard, each checked against what the API stored.
let ui: ConsoleUnderTest;
let page: Page;
let projectId: string;
const ids: Record<string, string> = {};

interface ApiTask {
  id: string;
  title: string;
  parentId: string | null;
  projectId: string;
}

async function create(title: string, parent?: string) {
  const body = { title, projectId, ...(parent ? { parentId: ids[parent] } : {}) };
  ids[title] = (await ui.api('/tasks', { method: 'POST', body: JSON.stringify(body) })).id;
}

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`tree-${Date.now()}@example.com`);
  await page.goto('/');
  const project = await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Holiday' }) });
  projectId = project.id;
  await create('Plan the trip');
  await create('Book flights', 'Plan the trip');
  await create('Book the hotel', 'Plan the trip');
  await create('Compare prices', 'Book the hotel');
  await create('Pack the bags');
  await create('Water the plants');
  await page.goto(`/projects/${projectId}`);
});

afterAll(() => ui?.close());

const list = () => page.locator('project-page task-groups');
const live = () => list().locator('[role=status]');
/** Each shown row as "title@level". */
const shown = () =>
  list()
    .locator('li[data-id]')
    .evaluateAll((rows) =>
      rows.map((r) => `${r.querySelector('.title')?.textContent}@${r.getAttribute('aria-level')}`),
    );
const stored = async (title: string) => (await ui.api(`/tasks/${ids[title]}`)) as ApiTask;
const parentOf = async (title: string) => (await stored(title)).parentId;
const rowOf = (title: string) => list().locator('li[data-id]').filter({ hasText: title }).first();
const handle = (title: string) => page.getByRole('button', { name: `Move “${title}”` });

/** Presses the mouse on a task's handle and moves it to (x, y) in steps, then releases it there. */
async function drag(title: string, to: { x: number; y: number }) {
  const box = await handle(title).boundingBox();
  if (!box) throw new Error(`no handle for ${title}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x, box.y - 10, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

async function middleOf(title: string) {
  const box = await rowOf(title).boundingBox();
  if (!box) throw new Error(`no row for ${title}`);
  return { x: box.x + 80, y: box.y + box.height / 2 };
}

describe('subtasks in a project, nested and moved', () => {
  it('shows subtasks under their parents, indented by level, with a count and an expand/collapse toggle', async () => {
    await expect
      .poll(shown, { timeout: 15_000 })
      .toEqual([
        'Plan the trip@1',
        'Book flights@2',
        'Book the hotel@2',
        'Compare prices@3',
        'Pack the bags@1',
        'Water the plants@1',
      ]);
    expect(await rowOf('Plan the trip').locator('.subtasks').textContent()).toBe('2 open subtasks');
    const indent = async (title: string) => (await rowOf(title).boundingBox())!.x;
    const checkbox = async (title: string) =>
      (await page.getByRole('checkbox', { name: `Complete “${title}”` }).boundingBox())!.x;
    expect(await checkbox('Compare prices')).toBeGreaterThan(await checkbox('Book the hotel'));
    expect(await checkbox('Book the hotel')).toBeGreaterThan(await checkbox('Plan the trip'));
    expect(await indent('Compare prices')).toBe(await indent('Plan the trip'));
    expect(await axeViolations(page)).toEqual([]);

    const toggle = page.getByRole('button', { name: 'Subtasks of “Plan the trip”' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    await expect.poll(shown).toEqual(['Plan the trip@1', 'Pack the bags@1', 'Water the plants@1']);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.press('Enter');
    await expect.poll(shown).toContain('Compare prices@3');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('adds a subtask from a row’s action', async () => {
    await page.getByRole('button', { name: 'Add a subtask to “Compare prices”' }).click();
    const field = page.getByRole('textbox', { name: 'New subtask of “Compare prices”' });
    await field.fill('Call the travel agent');
    await field.press('Enter');
    await expect.poll(shown, { timeout: 10_000 }).toContain('Call the travel agent@4');
    const created = (await ui.api(`/tasks?projectId=${projectId}&q=agent`)).items as ApiTask[];
    expect(created.map((t) => t.parentId)).toEqual([ids['Compare prices']]);
    ids['Call the travel agent'] = created[0]!.id;
    await field.press('Escape');
    // The fourth level is the last: no subtask can be added under it.
    expect(await page.getByRole('button', { name: 'Add a subtask to “Call the travel agent”' }).count()).toBe(
      0,
    );
  });

  it('makes a task a subtask by dropping it on a row’s middle, and moves a subtask out to the top level', async () => {
    await drag('Water the plants', await middleOf('Pack the bags'));
    await expect.poll(() => parentOf('Water the plants'), { timeout: 10_000 }).toBe(ids['Pack the bags']);
    await expect.poll(shown).toContain('Water the plants@2');

    // Onto the upper edge of the first row: above it, at the top level.
    const first = await rowOf('Plan the trip').boundingBox();
    await drag('Book flights', { x: first!.x + 80, y: first!.y + 3 });
    await expect.poll(() => parentOf('Book flights'), { timeout: 10_000 }).toBe(null);
    await expect
      .poll(shown)
      .toEqual([
        'Book flights@1',
        'Plan the trip@1',
        'Book the hotel@2',
        'Compare prices@3',
        'Call the travel agent@4',
        'Pack the bags@1',
        'Water the plants@2',
      ]);
  });

  it('refuses a fifth level with a message and sends nothing', async () => {
    const moves: string[] = [];
    const listen = (r: { url(): string }) => r.url().endsWith('/move') && moves.push(r.url());
    page.on('request', listen);
    await drag('Book flights', await middleOf('Call the travel agent'));
    const toasts = () => page.locator('toast-stack .toast').allTextContents();
    await expect
      .poll(toasts, { timeout: 5000 })
      .toContainEqual(
        expect.stringContaining('Subtasks nest at most 4 levels deep: “Book flights” cannot go to level 5.'),
      );
    // A task cannot go into its own subtree either.
    await drag('Book the hotel', await middleOf('Compare prices'));
    await expect
      .poll(toasts)
      .toContainEqual(
        expect.stringContaining('“Book the hotel” cannot go under itself or one of its own subtasks.'),
      );
    page.off('request', listen);
    expect(moves).toEqual([]);
    expect(await parentOf('Book flights')).toBe(null);
  });

  it('indents and outdents with the keyboard in move mode, each step announced', async () => {
    const said = () => live().textContent();
    await handle('Pack the bags').focus();
    await page.keyboard.press('Space');
    await expect.poll(said).toContain('Picked up “Pack the bags”');
    await page.keyboard.press('ArrowRight');
    await expect.poll(said).toContain('Level 2, subtask of “Plan the trip”, after “Book the hotel”.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(said).toContain('Level 3, subtask of “Book the hotel”, after “Compare prices”.');
    // Its own subtask goes with it: level 4 would put "Water the plants" on a fifth.
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(said)
      .toContain(
        'Subtasks nest at most 4 levels deep: “Pack the bags” with its 1 level of subtasks cannot go to level 4.',
      );
    await page.keyboard.press('ArrowLeft');
    await expect.poll(said).toContain('Level 2, subtask of “Plan the trip”');
    await page.keyboard.press('Space');
    await expect.poll(() => parentOf('Pack the bags'), { timeout: 10_000 }).toBe(ids['Plan the trip']);
    await expect.poll(said).toContain('Dropped “Pack the bags”. Level 2, subtask of “Plan the trip”');
    await expect.poll(shown).toContain('Water the plants@3');

    await handle('Pack the bags').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(said).toContain('Top level, after “Plan the trip”.');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(said).toContain('“Pack the bags” is already at the top level.');
    await page.keyboard.press('Space');
    await expect.poll(() => parentOf('Pack the bags'), { timeout: 10_000 }).toBe(null);
    await expect.poll(shown).toContain('Pack the bags@1');
    expect(await parentOf('Water the plants')).toBe(ids['Pack the bags']);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('undoes a move: the task goes back under its parent, in its place', async () => {
    await create('Buy adapters', 'Plan the trip');
    await expect.poll(shown, { timeout: 10_000 }).toContain('Buy adapters@2');
    const children = async () =>
      (await ui.api(`/tasks?parentId=${ids['Plan the trip']}&sort=manual`)).items.map(
        (t: ApiTask) => t.title,
      );
    expect(await children()).toEqual(['Book the hotel', 'Buy adapters']);
    await drag('Book the hotel', await middleOf('Book flights'));
    await expect.poll(() => parentOf('Book the hotel'), { timeout: 10_000 }).toBe(ids['Book flights']);
    const toast = page
      .locator('toast-stack .toast')
      .filter({ hasText: 'Moved “Book the hotel” under “Book flights”' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => parentOf('Book the hotel'), { timeout: 10_000 }).toBe(ids['Plan the trip']);
    expect(await children()).toEqual(['Book the hotel', 'Buy adapters']);
    await expect
      .poll(shown)
      .toEqual([
        'Book flights@1',
        'Plan the trip@1',
        'Book the hotel@2',
        'Compare prices@3',
        'Call the travel agent@4',
        'Buy adapters@2',
        'Pack the bags@1',
        'Water the plants@2',
      ]);
  });

  it('adds a subtask from the task’s editor', async () => {
    await page.getByRole('link', { name: 'Buy adapters' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit task' });
    await expect
      .poll(() => editor.getByLabel('Title').inputValue(), { timeout: 10_000 })
      .toBe('Buy adapters');
    const field = editor.getByRole('textbox', { name: 'Add a subtask' });
    await field.fill('Check the plug type');
    await field.press('Enter');
    await expect.poll(() => field.inputValue(), { timeout: 10_000 }).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(shown).toContain('Check the plug type@3');
    const [created] = (await ui.api(`/tasks?q=${encodeURIComponent('plug type')}`)).items as ApiTask[];
    expect(created!.parentId).toBe(ids['Buy adapters']);
  });
});
