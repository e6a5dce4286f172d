import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest } from './console-under-test.js';

let ui: ConsoleUnderTest;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  await ui.signUpViaApi(`chat-${Date.now()}@example.com`);
});

afterAll(() => ui?.close());

describe('the assistant chat panel', () => {
  it('opens with c, adds a task from a sentence, links the task touched, and closes with Escape', async () => {
    const { page } = ui;
    await page.goto('/');
    await expect
      .poll(() => page.getByRole('button', { name: 'Assistant' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.keyboard.press('c');
    const panel = page.getByRole('complementary', { name: 'Assistant' });
    const input = panel.getByRole('textbox', { name: 'Message to the assistant' });
    await expect
      .poll(() => input.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el))
      .toBe(true);
    await input.fill('add water the ferns tomorrow at 9am #garden');
    await input.press('Enter');
    const link = panel.getByRole('link', { name: 'water the ferns' });
    await expect.poll(() => link.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await panel.getByRole('list', { name: 'Conversation' }).textContent()).toMatch(
      /Added “water the ferns” due/,
    );
    // The list behind the panel shows the new task.
    await expect.poll(() => ui.row('water the ferns').count(), { timeout: 15_000 }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await ui.shot('assistant-chat');

    // The conversation goes on: the planner asks which task, the answer picks it.
    await ui.api('/tasks', { method: 'POST', body: JSON.stringify({ title: 'water the roses' }) });
    await input.fill('complete water the');
    await input.press('Enter');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toMatch(/Which one did you mean/);
    const text = (await panel.textContent()) ?? '';
    await input.fill(/1\. “water the roses”/.test(text) ? '1' : '2');
    await input.press('Enter');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toMatch(/Completed “water the roses”/);

    // Escape closes it; c opens it again with the conversation as it was.
    await input.press('Escape');
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Assistant' }).evaluate((el) => el.matches(':focus'))).toBe(
      true,
    );
    await page.keyboard.press('c');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.textContent()).toMatch(/Completed “water the roses”/);

    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/tasks\/[0-9a-f-]{36}$/);
  });

  it('fits a 360 px wide screen', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 360, height: 700 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Assistant' }).click();
    const panel = page.getByRole('complementary', { name: 'Assistant' });
    await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
    const box = await panel.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const send = panel.getByRole('button', { name: 'Send' });
    expect((await send.boundingBox())!.x + (await send.boundingBox())!.width).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);
    await ui.shot('assistant-chat-360');
  });
});
