import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { builtConsole, type RunningApp, startApp } from '../harness/app-server.js';
import { launchChromium } from '../harness/chromium.js';

/**
 * `UPDATE_SCREENSHOTS=1 npm test` refreshes the README's docs/screenshots; otherwise they go to a temp
 * folder, so a plain test run leaves the checkout clean.
 */
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots')
  : join(tmpdir(), 'todo-console-screenshots');

/** The real app, a real Chromium and one desktop page, with the vocabulary the browser suites share. */
export class ConsoleUnderTest {
  private constructor(
    readonly app: RunningApp,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Builds and starts the app, launches Chromium; a missing browser or a failed build fails the suite. */
  static async open(): Promise<ConsoleUnderTest> {
    const browser = await launchChromium();
    let app: RunningApp | undefined;
    try {
      app = await startApp(builtConsole());
      await mkdir(screenshots, { recursive: true });
      const context = await browser.newContext(ConsoleUnderTest.contextOptions(app.url));
      return new ConsoleUnderTest(app, browser, context, await context.newPage());
    } catch (err) {
      await browser.close();
      await app?.stop();
      throw err;
    }
  }

  /** Desktop, British English, UTC: stable dates in assertions and screenshots. */
  static contextOptions(baseURL: string, extra: BrowserContextOptions = {}): BrowserContextOptions {
    return {
      baseURL,
      locale: 'en-GB',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      ...extra,
    };
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.browser.close();
    await this.app.stop();
  }

  /** Signs a user up through the API and makes the page (or `context`'s pages) start signed in as them. */
  async signUpViaApi(email: string, context = this.context, name = 'Ada Lovelace'): Promise<void> {
    const res = await fetch(`${this.app.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name }),
    });
    if (!res.ok) throw new Error(`signup → ${res.status} ${await res.text()}`);
    const session = JSON.stringify(await res.json());
    await context.addInitScript((s) => {
      if (!localStorage.getItem('todo.session')) localStorage.setItem('todo.session', s);
    }, session);
  }

  /** The task rows (not the quick-add chips or notification items, which are list items too). */
  rows(page: Page = this.page) {
    return page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
  }

  row(title: string) {
    return this.rows().filter({ hasText: title });
  }

  async quickAdd(text: string): Promise<void> {
    const box = this.page.getByRole('textbox', { name: /Add/ });
    await box.fill(text);
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).toBe('');
  }

  /** Calls the API as the signed-in user of the page (or of `page`). */
  async api(path: string, init: RequestInit = {}, page = this.page) {
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('todo.session') ?? '{}').token as string,
    );
    const res = await fetch(`${this.app.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }

  /** Saves <name>.png (into docs/screenshots with UPDATE_SCREENSHOTS=1): the README's screenshots come from here. */
  shot(name: string, page: Page = this.page) {
    return page.screenshot({ path: join(screenshots, `${name}.png`) });
  }
}

/** Lines of an ARIA snapshot for interactive controls without an accessible name. */
export function unnamedControls(snapshot: string): string[] {
  const control =
    /^\s*- (button|checkbox|radio|textbox|searchbox|combobox|spinbutton|link|slider)( \[[^\]]*\])*:?\s*$/;
  return snapshot.split('\n').filter((line) => control.test(line));
}

let axeSource: Promise<string> | undefined;

/** One axe-core rule the page breaks, with where (selectors through shadow roots) and why. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.2 A/AA and best practices) in the page, shadow roots included, and returns what
 * it finds; the test asserts the list is empty, so a failure names the rule and the element.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}

/** The instant `days` calendar days after `from`'s UTC day, at `hour`:00 UTC (the browsers' zone in these tests). */
export function dayAt(from: Date, days: number, hour: number): string {
  const d = new Date(from);
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}
