import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleUnderTest } from './console-under-test.js';

let ui: ConsoleUnderTest;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  await ui.signUpViaApi(`feed-${Date.now()}@example.com`);
  await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.app.url });
});

afterAll(() => ui?.close());

/** What a calendar app gets from the URL: no session, no cookies. */
const subscribe = (url: string) => fetch(url);

describe('the calendar feed in settings', () => {
  it('shows the secret feed URL, copies it, and rotating it revokes the old one', async () => {
    const { page } = ui;
    await page.goto('/');
    await page.getByRole('link', { name: 'Settings' }).click();
    const field = page.getByRole('textbox', { name: 'Calendar feed URL' });
    await expect
      .poll(() => field.inputValue(), { timeout: 15_000 })
      .toMatch(/\/api\/v1\/calendar\/feeds\/.+\.ics$/);
    const first = await field.inputValue();
    expect(new URL(page.url()).pathname).toBe('/settings');
    const feed = await subscribe(first);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');

    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(first);
    await ui.shot('settings');

    await page.getByRole('button', { name: 'Rotate…' }).click();
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).not.toBe(first);
    const second = await field.inputValue();
    expect(
      await page.getByRole('region', { name: 'Calendar feed' }).getByRole('status').textContent(),
    ).toContain('old one no longer works');
    expect((await subscribe(first)).status).toBe(404);
    expect((await subscribe(second)).status).toBe(200);
  });
});
