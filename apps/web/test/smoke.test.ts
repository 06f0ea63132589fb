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
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeDefined();
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
});
