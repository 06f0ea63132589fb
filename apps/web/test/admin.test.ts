/**
 * The dataset page and the administration pages in a real browser: drag-and-drop upload with one
 * bad file, thumbnails, a snapshot; members; an API key whose secret is shown once; a webhook and
 * its delivery log; the audit log that records all of it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partPng, startStack, type Account, type Stack } from './harness';

let stack: Stack;
let page: Page;
let owner: Account;
let productModelId: string;
let datasetId: string;
/** Receives webhook deliveries (the API may call private addresses in this test only). */
let receiver: Server;
const received: { event: string | undefined }[] = [];
/** Script errors and console errors, with the page they happened on. */
const pageErrors: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const event = (JSON.parse(body || '{}') as { event?: string }).event;
      received.push({ event });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  stack = await startStack({
    distDir: '.next-admin',
    apiEnv: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
  });
  page = await stack.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  owner = await stack.signUpViaUi(page, 'olga@admin.test', 'Admin Works');
  const projectId = await stack.createProject(owner.token);
  productModelId = await stack.createProductModel(owner.token, projectId, 'Hinge');
  datasetId = await stack.createDataset(owner.token, productModelId, 'hinge normals');
});

afterAll(async () => {
  await stack?.close();
  await new Promise((r) => receiver?.close(r));
});

/** Drops files on an element as a browser drag-and-drop would (a DataTransfer with Files). */
async function dropFiles(
  target: string,
  files: { name: string; type: string; body: Buffer }[],
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.type, base64: f.body.toString('base64') })),
  );
  await page.dispatchEvent(target, 'dragenter', { dataTransfer });
  await page.dispatchEvent(target, 'drop', { dataTransfer });
}

const summary = () => page.getByTestId('upload-summary');

describe('dataset page', () => {
  it('uploads dropped files one by one: good ones added, the bad one named with its code', async () => {
    await page.goto(`/datasets/${datasetId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'hinge normals',
    );
    expect(await page.getByRole('link', { name: 'Hinge', exact: true }).getAttribute('href')).toBe(
      `/models/${productModelId}`,
    );
    await page.getByText('No images yet.', { exact: false }).waitFor();
    expect(await page.getByLabel('Good', { exact: true }).isChecked()).toBe(true);

    const good = await Promise.all([partPng(11), partPng(12), partPng(13)]);
    await dropFiles('[data-testid=dropzone]', [
      ...good.map((body, i) => ({ name: `good-${i + 1}.png`, type: 'image/png', body })),
      { name: 'bad.png', type: 'image/png', body: Buffer.from('this is not a picture\n') },
    ]);

    await page
      .getByTestId('upload-summary')
      .getByText('3 uploaded, 0 duplicates, 1 rejected.')
      .waitFor();
    const bad = page.locator('li[data-file="bad.png"]');
    expect(await bad.getAttribute('data-status')).toBe('rejected');
    expect(await bad.textContent()).toContain('UNSUPPORTED_TYPE');
    for (const name of ['good-1.png', 'good-2.png', 'good-3.png']) {
      const row = page.locator(`li[data-file="${name}"]`);
      expect(await row.getAttribute('data-status')).toBe('uploaded');
      expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    }

    // The thumbnails reload after the batch, and their presigned URLs really load.
    const thumbs = page.getByTestId('thumbnails').locator('img');
    await expect.poll(() => thumbs.count(), { timeout: 15_000 }).toBe(3);
    await expect
      .poll(() =>
        thumbs.evaluateAll((imgs) =>
          (imgs as HTMLImageElement[]).every((i) => i.complete && i.naturalWidth > 0),
        ),
      )
      .toBe(true);
    expect(await page.getByTestId('thumbnails').getByText('Good', { exact: true }).count()).toBe(3);
    await expect
      .poll(() => page.getByTestId('image-count').textContent())
      .toMatch(/^3 \(3 good, 0 defect, 0 unknown\)$/);
    await stack.screenshot(page, 'admin-dataset-upload');
  });

  it('adds through the file picker too, naming a duplicate as a duplicate', async () => {
    await page.getByLabel('Defect', { exact: true }).check();
    await page.locator('input[type=file]').setInputFiles([
      { name: 'again.png', mimeType: 'image/png', buffer: await partPng(11) },
      { name: 'scratch.png', mimeType: 'image/png', buffer: await partPng(14, 'scratch') },
    ]);
    await summary().getByText('4 uploaded, 1 duplicate, 1 rejected.').waitFor();
    expect(await page.locator('li[data-file="again.png"]').textContent()).toContain('DUPLICATE');

    await page.getByLabel('Show').selectOption('DEFECT');
    await expect
      .poll(() => page.getByTestId('thumbnails').locator('img').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await page.getByTestId('thumbnails').getByRole('img').getAttribute('alt')).toBe(
      'scratch.png',
    );
    await page.getByLabel('Show').selectOption('UNKNOWN');
    await page.getByText('No images labelled unknown.').waitFor();
    await page.getByLabel('Show').selectOption('');
    await expect.poll(() => page.getByTestId('thumbnails').locator('img').count()).toBe(4);
  });

  it('takes a snapshot and lists it', async () => {
    await page.getByText('No snapshots yet.').waitFor();
    await page.getByLabel('Note (optional)').fill('baseline for v1');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.getByRole('status').getByText('Snapshot taken: 4 images.').waitFor();
    const row = page.getByTestId('snapshots').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('baseline for v1');
    // Still there after a reload (it came from the API, not from the page's memory).
    await page.reload();
    await page.getByTestId('snapshots').getByText('baseline for v1').waitFor();
  });

  it('fits a tablet without sideways scrolling', async () => {
    const tablet = await stack.newPage({ width: 768, height: 1024 });
    await stack.signInPage(tablet, owner);
    await tablet.goto(`/datasets/${datasetId}`);
    await tablet.getByTestId('thumbnails').waitFor();
    expect(
      await tablet.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await stack.screenshot(tablet, 'admin-dataset-tablet');
    await tablet.context().close();
  });
});

describe('settings', () => {
  it('adds a member, changes the role, removes them', async () => {
    await stack.signUp('bruno@admin.test', 'Bruno Ltd');
    await page.goto('/settings/members');
    const nav = page.getByRole('navigation', { name: 'Settings' });
    expect(await nav.getByRole('link', { name: 'Members' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await page.getByLabel('Email').fill('nobody@admin.test');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not added' }).waitFor();

    await page.getByLabel('Email').fill('bruno@admin.test');
    await page.getByLabel('Role', { exact: true }).selectOption('ENGINEER');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('bruno@admin.test is now a member (Engineer).').waitFor();
    const row = page.locator('tr', { hasText: 'bruno@admin.test' });
    await row.waitFor();

    await row.getByLabel('Role of bruno').selectOption('INSPECTOR');
    await row.getByRole('button', { name: 'Save role' }).click();
    await row.getByText('Now Inspector.').waitFor();

    await row.getByRole('button', { name: 'Remove bruno' }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'bruno@admin.test' }).count()).toBe(0);
  });

  it('shows a new API key once, lists it, and the key works', async () => {
    await page.goto('/settings/api-keys');
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Name').fill('line-3 camera');
    await page.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByTestId('secret-reveal');
    await reveal.waitFor();
    expect(await reveal.textContent()).toMatch(/won’t see it again/);
    const secret = await reveal.getByLabel('The key').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    // Focus moved to the message, so a screen reader reads it.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');

    const row = page.getByTestId('api-keys').locator('tbody tr', { hasText: 'line-3 camera' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Inspector');
    expect(await row.textContent()).toContain('never');
    expect(await row.textContent()).not.toContain(secret);

    const viewer = await stack.gql(secret, '{ viewer { role } }');
    expect(viewer).toEqual({ viewer: { role: 'INSPECTOR' } });

    await page.reload();
    await page.getByTestId('api-keys').waitFor();
    expect(await page.getByTestId('secret-reveal').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke key line-3 camera' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('Revoked', { exact: false }).first().waitFor();
    const after = await stack.gqlRaw(secret, '{ viewer { role } }');
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates a webhook: the secret once, listed with its events, deliveries logged', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/padim`;
    await page.goto('/settings/webhooks');
    await page.getByText('No webhooks yet.').waitFor();
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('inspection.flagged').uncheck();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('alert').getByText('Choose at least one event.').waitFor();
    await page.getByLabel('inspection.created').check();
    await page.getByLabel('model.ready').check();
    await page.getByLabel('Description (optional)').fill('MES line 3');
    await page.getByRole('button', { name: 'Add webhook' }).click();

    const reveal = page.getByTestId('secret-reveal');
    await reveal.waitFor();
    expect(await reveal.getByLabel('The signing secret').inputValue()).toMatch(/^whsec_/);
    const item = page.getByTestId('webhook').filter({ hasText: url });
    await item.waitFor();
    const events = await item.getByRole('list', { name: 'Events' }).textContent();
    expect(events).toContain('inspection.created');
    expect(events).toContain('model.ready');
    expect(events).not.toContain('inspection.flagged');
    expect(await item.textContent()).toContain('MES line 3');
    await stack.screenshot(page, 'admin-webhooks');

    // Something it listens to: a version gets trained (model.ready) and inspects a part.
    const dataset = await stack.createDataset(owner.token, productModelId, 'for training');
    await stack.uploadImages(
      owner.token,
      dataset,
      await Promise.all(Array.from({ length: 10 }, (_, i) => partPng(200 + i))),
    );
    await stack.train(owner.token, productModelId, dataset);
    await stack.inspect(owner.token, productModelId, await partPng(300));
    await expect
      .poll(() => received.map((r) => r.event).sort(), { timeout: 60_000 })
      .toEqual(['inspection.created', 'model.ready']);

    await page.reload();
    const hook = page.getByTestId('webhook').filter({ hasText: url });
    await hook.getByRole('button', { name: 'Delivery log' }).click();
    const log = hook.getByRole('region', { name: 'Delivery log' });
    await log.locator('tbody tr').first().waitFor();
    await expect
      .poll(async () => {
        await log.getByRole('button', { name: 'Refresh' }).click();
        return log.locator('tbody tr', { hasText: 'succeeded' }).count();
      })
      .toBe(2);
    expect(await log.textContent()).toContain('204');

    await hook.getByRole('button', { name: 'Deactivate' }).click();
    await hook.getByText('Inactive').waitFor();
  });
});

describe('audit log', () => {
  it('shows the snapshot, the webhook, the member changes, with data and filters', async () => {
    await page.goto('/audit');
    const table = page.getByTestId('audit-events');
    await table.waitFor();
    for (const action of [
      'dataset.create',
      'dataset.images_add',
      'dataset.snapshot',
      'member.add',
      'member.role_change',
      'member.remove',
      'webhook.create',
      'webhook.update',
      'training.start',
    ])
      expect(await table.locator(`tr[data-action="${action}"]`).count(), action).toBeGreaterThan(0);

    // Newest first: the last snapshot is the one taken on the dataset page (training took another).
    const snapshot = table.locator('tr[data-action="dataset.snapshot"]').last();
    expect(await snapshot.textContent()).toContain('olga');
    expect(await snapshot.locator('pre').isVisible()).toBe(false);
    await snapshot.locator('summary').click();
    expect(await snapshot.locator('pre').isVisible()).toBe(true);
    expect(await snapshot.locator('pre').textContent()).toContain('"imageCount": 4');

    await page.getByLabel('Action').fill('dataset.snapshot');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=dataset.snapshot/);
    await expect
      .poll(() =>
        table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action)),
      )
      .toEqual(['dataset.snapshot', 'dataset.snapshot']);
    await page.getByLabel('Target type').selectOption('Webhook');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No events match these filters.').waitFor();
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.pathname === '/audit' && u.search === '');
    await stack.screenshot(page, 'admin-audit');
  });
});

describe('the pages of this suite', () => {
  it('logged no script or console errors', () => {
    const mine = /\/(datasets|settings|audit)\b/;
    expect(pageErrors.filter((e) => mine.test(e.split(': ')[0]!))).toEqual([]);
  });
});
