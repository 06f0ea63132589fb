/** The dashboard's front door in a real browser: sign up, sign out, bad sign-in, sign in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('sign-up and sign-in', () => {
  it('signs up, signs out, refuses a wrong password with a message, signs in', async () => {
    const page = await stack.newPage();
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await stack.signUpViaUi(page, 'ada@smoke.test', 'Smoke Works');
    // The signed-in shell: its main navigation, with the owner's admin links.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor({ state: 'visible' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Review queue',
      'Inspections',
      'Audit log',
      'Settings',
    ]);
    expect(await page.locator('.org select').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill('ada@smoke.test');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The form's own alert (Next's route announcer is an alert too).
    const alert = page.locator('form [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/password|email|invalid/i);
    // The email survives the failed attempt; only the password is typed again.
    expect(await page.getByLabel('Email').inputValue()).toBe('ada@smoke.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    // The session cookie is httpOnly: page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('padim_token');
    await page.context().close();
  });

  it('refuses a cross-origin GraphQL request through the proxy', async () => {
    const res = await fetch(`${stack.webUrl}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(res.status).toBe(403);
  });

  it('answers the live event stream with 401 for a missing or revoked session', async () => {
    const none = await fetch(`${stack.webUrl}/api/events?stream=inspections`);
    expect(none.status).toBe(401);
    const account = await stack.signUp('eve@smoke.test', 'Stream Works');
    const headers = { cookie: `padim_token=${account.token}` };
    const live = await fetch(`${stack.webUrl}/api/events?stream=inspections`, { headers });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('text/event-stream');
    await live.body?.cancel();
    await stack.gql(account.token, 'mutation { signOut }');
    const revoked = await fetch(`${stack.webUrl}/api/events?stream=inspections`, { headers });
    expect(revoked.status).toBe(401);
  });
});
