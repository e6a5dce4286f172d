import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

let ui: ConsoleUnderTest;
let page: Page;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  page = ui.page;
  await ui.signUpViaApi(`porter-${Date.now()}@example.com`);
  await page.goto('/settings');
});

afterAll(() => ui?.close());

const TODOIST_CSV = [
  'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE',
  'task,Buy milk @errands,,1,1,,,,en,Europe/Berlin',
  'task,Water the plants @home,,2,1,,,,en,Europe/Berlin',
  'task,Fix the bike,,9,1,,,,,',
  '',
].join('\n');

const section = () => page.getByRole('region', { name: 'Import and export' });
const report = () => section().getByRole('status');

async function importFile(name: string, mimeType: string, text: string) {
  await section()
    .getByLabel('File to import')
    .setInputFiles({ name, mimeType, buffer: Buffer.from(text) });
  await section().getByRole('button', { name: 'Import', exact: true }).click();
}

describe('Settings → Import and export', () => {
  it('imports a Todoist CSV and reports what it created and what it could not map', async () => {
    await expect.poll(() => section().count(), { timeout: 15_000 }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await importFile('todoist.csv', 'text/csv', TODOIST_CSV);
    expect(await section().getByLabel('Format of the file').inputValue()).toBe('todoist-csv');
    await expect.poll(() => report().textContent(), { timeout: 15_000 }).toMatch(/Imported 3 tasks/);
    expect(await section().getByRole('list', { name: 'Skipped lines' }).textContent()).toContain(
      'Line 4: PRIORITY',
    );
    const titles = (await ui.api('/tasks?limit=50')).items.map((t: { title: string }) => t.title);
    expect(titles.sort()).toEqual(['Buy milk', 'Fix the bike', 'Water the plants']);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('downloads a JSON export that imports again without duplicating anything', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section().getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const text = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    const doc = JSON.parse(text);
    expect(doc.tasks.map((t: { title: string }) => t.title).sort()).toEqual([
      'Buy milk',
      'Fix the bike',
      'Water the plants',
    ]);
    await importFile('export.json', 'application/json', text);
    await expect.poll(() => report().textContent(), { timeout: 15_000 }).toMatch(/Imported 0 tasks/);
    expect((await ui.api('/tasks?limit=50')).items).toHaveLength(3);
  });

  it('downloads a CSV export', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section().getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    expect(text).toContain('Buy milk');
  });

  it('imports an iCalendar file, all or nothing: a broken one imports nothing and says why', async () => {
    await importFile(
      'broken.json',
      'application/json',
      '{"format":"todo-export","version":1,"tasks":[{"title":""}]}',
    );
    await expect
      .poll(() => section().getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('Nothing was imported');
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VTODO',
      'UID:walk-the-dog@example.com',
      'DTSTAMP:20260501T090000Z',
      'SUMMARY:Walk the dog',
      'DUE:20260502T090000Z',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await importFile('tasks.ics', 'text/calendar', ics);
    expect(await section().getByLabel('Format of the file').inputValue()).toBe('ics');
    await expect.poll(() => report().textContent(), { timeout: 15_000 }).toMatch(/Imported 1 task\b/);
    expect((await ui.api('/tasks?limit=50')).items).toHaveLength(4);
  });

  it('imports a Todoist CSV into the project picked, its sections as tags', async () => {
    const garden = await ui.api('/projects', { method: 'POST', body: JSON.stringify({ name: 'Garden' }) });
    await page.goto('/settings');
    await section()
      .getByLabel('File to import')
      .setInputFiles({
        name: 'garden.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('TYPE,CONTENT,INDENT\nsection,Spring,\ntask,Sow beans,1\ntask,Buy seeds,2\n'),
      });
    const picker = section().getByLabel('Project to import into');
    expect(await picker.inputValue()).toBe('');
    await picker.selectOption({ label: 'Garden' });
    expect(await axeViolations(page)).toEqual([]);
    await section().getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => report().textContent(), { timeout: 15_000 }).toMatch(/Imported 2 tasks/);
    const items = (await ui.api(`/tasks?limit=50&projectId=${garden.id}`)).items as {
      title: string;
      tags: string[];
      parentId: string | null;
      id: string;
    }[];
    const beans = items.find((t) => t.title === 'Sow beans')!;
    expect(beans.tags).toEqual(['spring']);
    expect(items.find((t) => t.title === 'Buy seeds')!.parentId).toBe(beans.id);
  });

  it('shows progress while a large file uploads, then the report', async () => {
    const tasks = Array.from({ length: 3000 }, (_, i) => ({ id: `big-${i}`, title: `Imported task ${i}` }));
    const text = JSON.stringify({ format: 'todo-export', version: 1, projects: [], tasks });
    // Record every state the progress bar is seen in, from the page itself.
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { progressSeen: Set<string> }).progressSeen = seen;
      const host = document.querySelector('todo-app')!.shadowRoot!.querySelector('settings-page')!
        .shadowRoot!;
      const root = host.querySelector('import-export')!.shadowRoot!;
      new MutationObserver(() => {
        const label = root.querySelector('label[for="import-progress"]')?.textContent;
        if (label) seen.add(label.trim().split(' ')[0]!);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
    await importFile('big.json', 'application/json', text);
    await expect.poll(() => report().textContent(), { timeout: 60_000 }).toMatch(/Imported 3,?000 tasks/);
    const seen = await page.evaluate(() => [
      ...(window as unknown as { progressSeen: Set<string> }).progressSeen,
    ]);
    expect(seen).toContain('Uploading…');
  });
});
