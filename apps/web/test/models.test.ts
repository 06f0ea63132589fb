/**
 * The model page end to end in Chromium: sign up, create a project and a product model in the UI,
 * seed a dataset, train (seeded random-init) from the UI while the live progress streams, then move
 * the threshold on the histogram by dragging and save it with a reason.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binCounts,
  binEdges,
  countAbove,
  rateAbove,
  rocArea,
  rocCurve,
} from '../src/components/charts/scores';
import { partPng, startStack, type Stack } from './harness';

describe('threshold chart statistics', () => {
  const normals = [1, 2, 3, 4];
  const defects = [3, 5, 6];

  it('counts scores strictly above a threshold (flagged iff score > t)', () => {
    expect(countAbove(normals, 3)).toBe(1);
    expect(countAbove(normals, 0)).toBe(4);
    expect(countAbove(normals, 4)).toBe(0);
    expect(rateAbove([], 1)).toBeNull();
  });

  it('sweeps a ROC curve from (0, 0) to (1, 1) whose area is the AUROC with ties', () => {
    const input = [...normals];
    const roc = rocCurve(input, defects);
    expect(input).toEqual(normals);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    // Mann-Whitney: pairs (defect > normal) + ties / 2 over 12 pairs = (4 + 4 + 2 + 0.5) / 12.
    expect(rocArea(roc)).toBeCloseTo(10.5 / 12, 12);
    expect(rocArea(rocCurve([1, 2], [3, 4]))).toBe(1);
    expect(rocCurve(normals, [])).toEqual([]);
  });

  it('bins scores on shared edges, the last bin closed', () => {
    const edges = binEdges(0, 4, 4);
    expect(edges).toEqual([0, 1, 2, 3, 4]);
    expect(binCounts([0, 0.5, 1, 3.9, 4, 5], edges)).toEqual([2, 1, 0, 2]);
  });
});

describe('product model page', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ distDir: '.next-models' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('creates a model in the UI, trains it live and tunes the threshold by dragging', async () => {
    const page = await stack.newPage();
    try {
      await flow(page);
    } catch (error) {
      await stack.screenshot(page, 'model-page-failure').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });

  async function flow(page: Page): Promise<void> {
    const account = await stack.signUpViaUi(page, 'eve@models.test', 'Models Works');

    // A new organization sees the first steps and the create forms.
    await page.getByRole('heading', { name: 'Set up your first inspection' }).waitFor();
    await page.getByLabel('Project name').fill('Line 7');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Line 7' }).waitFor();

    // An API refusal (the name is taken) is shown inline.
    await page.getByLabel('Project name').fill('Line 7');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /exists/ })
      .waitFor();

    await page.getByLabel('Product model name').fill('Bracket A');
    await page.getByLabel(/Camera pose/).fill('top');
    await page.getByRole('button', { name: 'Create product model' }).click();
    await page.waitForURL(/\/models\/[^/?]+$/);
    const productModelId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: 'Next steps' }).waitFor();

    // Seed the dataset over GraphQL: good parts, and a few labelled defects for the ROC curve.
    const datasetId = await stack.createDataset(account.token, productModelId, 'good parts');
    const good = await Promise.all(Array.from({ length: 16 }, (_, i) => partPng(200 + i)));
    const defects = await Promise.all(
      (['spot', 'scratch', 'crack', 'missing'] as const).map((k, i) => partPng(400 + i, k)),
    );
    await stack.uploadImages(account.token, datasetId, good, 'GOOD');
    await stack.uploadImages(account.token, datasetId, defects, 'DEFECT');

    await page.reload();
    await page.getByRole('link', { name: 'good parts' }).first().waitFor();
    await page.getByText('Live', { exact: true }).waitFor();

    // Record every phase the live progress shows (they can pass quickly).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phases: string[] }).phases = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="training-phase"]'))
          if (el.textContent && !seen.includes(el.textContent)) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await page.getByLabel('Weights').selectOption('RANDOM_INIT');
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/demo/);
    await page.getByLabel('Dimensions kept (d)').fill('32');
    await page.getByLabel('Held out for calibration (%)').fill('25');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('status').filter({ hasText: 'Training started' }).waitFor();

    // The handle appears once the version is READY and the page data was refreshed.
    const handle = page.getByRole('slider', { name: 'Threshold' });
    await handle.waitFor({ timeout: 180_000 });
    const phases = await page.evaluate(() => (window as unknown as { phases: string[] }).phases);
    expect(phases.some((p) => /Loading|Fitting|Calibrating|Saving/.test(p))).toBe(true);
    await page.locator('table .badge.READY').first().waitFor();
    await expect(
      page.getByText('Random init — demo only, not for real use').count(),
    ).resolves.toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('training-phase').count()).toBe(0);

    // Keyboard: the focused handle moves with the arrow keys.
    const draft = page.getByTestId('draft-threshold');
    const before = await draft.textContent();
    await handle.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => draft.textContent()).not.toBe(before);
    await page.getByRole('button', { name: 'Reset' }).click();

    // Drag the handle to the left end of the plot: every held-out good image is then above it.
    const far = page.getByTestId('implied-far');
    const farBefore = await far.textContent();
    await page.getByRole('heading', { name: 'Threshold', exact: true }).scrollIntoViewIfNeeded();
    const box = (await handle.boundingBox())!;
    const svgBox = (await page.locator('svg[role="group"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(
        box.x + box.width / 2 - ((box.x - svgBox.x) * i) / 10,
        box.y + box.height / 2,
      );
    await page.mouse.up();
    await expect.poll(() => far.textContent()).not.toBe(farBefore);
    expect(await far.textContent()).toMatch(/100\.0%/);
    const value = Number(await draft.textContent());

    const reason = 'flag everything while the new fixture is validated';
    await page.getByRole('button', { name: 'Save threshold…' }).click();
    await page.getByLabel('Reason (kept in the threshold history)').fill(reason);
    await page.getByRole('button', { name: 'Save threshold', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.getByTestId('threshold-history').getByText(reason).waitFor();

    const versions = await stack.gql(
      account.token,
      'query($p: ID!) { modelVersions(productModelId: $p) { edges { node { id isActive } } } }',
      { p: productModelId },
    );
    const versionId = (
      versions.modelVersions as { edges: { node: { id: string; isActive: boolean } }[] }
    ).edges.find((e) => e.node.isActive)!.node.id;
    const history = await stack.gql(
      account.token,
      'query($v: ID!) { activeThreshold(modelVersionId: $v) { method value note } thresholds(modelVersionId: $v) { edges { node { method note value } } } }',
      { v: versionId },
    );
    const manual = (
      history.thresholds as { edges: { node: { method: string; note: string; value: number } }[] }
    ).edges.filter((e) => e.node.method === 'MANUAL' && e.node.note === reason);
    expect(manual).toHaveLength(1);
    expect(history.activeThreshold).toMatchObject({ method: 'MANUAL', note: reason });
    expect(manual[0]!.node.value).toBeCloseTo(value, 2);

    await stack.screenshot(page, 'model-page');

    // Tablet width: nothing but the wide tables' own scroll areas overflows.
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await stack.screenshot(page, 'model-page-tablet');

    // The overview lists the model with its active version and today's activity.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/');
    const row = page.getByRole('row').filter({ hasText: 'Bracket A' });
    await row.getByText('v1').waitFor();
    await row.getByText('READY').waitFor();
    await row.getByText('demo weights').waitFor();
    await stack.screenshot(page, 'models-overview');
    await page.getByRole('link', { name: 'Line 7' }).click();
    await page.waitForURL(/\/projects\//);
    await page.getByRole('heading', { level: 1, name: 'Line 7' }).waitFor();
    await page.getByRole('link', { name: 'Bracket A' }).waitFor();
  }
});
