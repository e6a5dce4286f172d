import { createHash, randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, ConsoleUnderTest, unnamedControls } from './console-under-test.js';

const REDIRECT = 'http://127.0.0.1:5999/callback';

let ui: ConsoleUnderTest;

beforeAll(async () => {
  ui = await ConsoleUnderTest.open();
  await ui.signUpViaApi(`oauth-${Date.now()}@example.com`);
});

afterAll(() => ui?.close());

/** What an MCP client does before the browser opens: registers, then sends the user to authorize. */
async function startAuthorization(clientName: string) {
  const registered = await fetch(`${ui.app.url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: clientName, redirect_uris: [REDIRECT] }),
  });
  const { client_id } = (await registered.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id,
    redirect_uri: REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: `${ui.app.url}/mcp`,
    scope: 'tasks:read tasks:write',
    state: 'st4te',
  });
  /** The app's last step: the code for tokens (this is when the grant exists). */
  const redeem = (code: string) =>
    fetch(`${ui.app.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id,
        resource: `${ui.app.url}/mcp`,
      }),
    });
  return { url: `${ui.app.url}/oauth/authorize?${query}`, redeem };
}

/** The app's redirect URI, answered in the browser: where the user lands after deciding. */
async function catchRedirect(page: Page): Promise<{ landed: Promise<URL> }> {
  let land: (url: URL) => void;
  const landed = new Promise<URL>((resolve) => (land = resolve));
  await page.unrouteAll();
  await page.route(`${REDIRECT}**`, (route) => {
    land(new URL(route.request().url()));
    return route.fulfill({ contentType: 'text/html', body: '<title>Back in the app</title><h1>Done</h1>' });
  });
  // In an object: a promise returned from an async function would be awaited with it.
  return { landed };
}

describe('connecting an MCP client in the console', () => {
  it('asks the signed-in user, who approves; Settings lists the app and revokes it', async () => {
    const { page } = ui;
    const { landed } = await catchRedirect(page);
    const app = await startAuthorization('Claude Desktop (test)');
    await page.goto(app.url);
    const heading = page.getByRole('heading', { level: 1 });
    await expect
      .poll(() => heading.textContent(), { timeout: 15_000 })
      .toBe('Allow Claude Desktop (test) to use your tasks?');
    expect(await page.getByText('See your tasks, tags and notifications').count()).toBe(1);
    expect(await page.getByText('127.0.0.1:5999').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(unnamedControls(await page.locator('body').ariaSnapshot())).toEqual([]);
    await ui.shot('oauth-consent');
    await page.getByRole('button', { name: 'Approve' }).click();
    const back = await landed;
    expect(back.searchParams.get('state')).toBe('st4te');
    expect(back.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.waitForURL(`${REDIRECT}**`);
    expect((await app.redeem(back.searchParams.get('code')!)).status).toBe(200);

    await page.goto('/settings');
    const apps = page.getByRole('region', { name: 'Connected apps' });
    await expect
      .poll(() => apps.getByText('Claude Desktop (test)', { exact: true }).count(), { timeout: 15_000 })
      .toBe(1);
    await ui.shot('connected-apps');
    expect(await axeViolations(page)).toEqual([]);
    await apps.getByRole('button', { name: 'Revoke Claude Desktop (test)' }).click();
    await expect.poll(() => apps.getByRole('status').textContent()).toContain('can no longer use your tasks');
    expect(await apps.getByText('No apps are connected.').count()).toBe(1);
    expect(await ui.api('/oauth/grants')).toEqual([]);
  });

  it('a denial goes back to the app as access_denied', async () => {
    const { page } = ui;
    const { landed } = await catchRedirect(page);
    await page.goto((await startAuthorization('Denied app')).url);
    await expect
      .poll(() => page.getByRole('button', { name: 'Deny' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.getByRole('button', { name: 'Deny' }).click();
    const back = await landed;
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'access_denied', state: 'st4te' });
  });

  it('signed out, asks to log in first and then shows the request', async () => {
    const anonymous = await ui.browser.newContext(ConsoleUnderTest.contextOptions(ui.app.url));
    try {
      const page = await anonymous.newPage();
      const email = `later-${Date.now()}@example.com`;
      await fetch(`${ui.app.url}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      });
      await page.goto((await startAuthorization('Signed-out app')).url);
      await expect
        .poll(() => page.getByText('Log in to review an app that asks to use your tasks.').isVisible(), {
          timeout: 15_000,
        })
        .toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
        .toBe('Allow Signed-out app to use your tasks?');
      expect(new URL(page.url()).pathname).toBe('/oauth/consent');
    } finally {
      await anonymous.close();
    }
  });
});
