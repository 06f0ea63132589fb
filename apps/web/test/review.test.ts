/**
 * The review queue and the inspections list in a real browser against the real API and worker:
 * a trained model, flagged inspections, keyboard reviews (recorded, checked over GraphQL), the
 * heatmap overlay and region boxes, a live arrival, the list's URL filters and pages, and a bulk
 * inspection with one bad file.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHref, parseFilters } from '../src/components/inspections/filters';
import { partPng, startStack, type Account, type Stack } from './harness';

let stack: Stack;
let owner: Account;
let seed: { productModelId: string; versionId: string };
/** Flagged inspections, oldest first: the queue's order. */
const flagged: string[] = [];
/** Every inspection made, flagged or not. */
let inspected = 0;

interface Inspected {
  id: string;
  status: string;
  score: number;
  verdict: string | null;
}

/** Inspects defect images until `count` more are flagged (lowering the threshold if it must). */
async function flagMore(count: number, source = 'cam-1'): Promise<string[]> {
  const ids: string[] = [];
  for (let attempt = 0; ids.length < count; attempt++) {
    if (attempt >= count + 4) throw new Error('defect images were not flagged');
    const result: Inspected = await stack.inspect(
      owner.token,
      seed.productModelId,
      await partPng(700 + flagged.length + attempt * 31, 'missing'),
      source,
    );
    inspected++;
    expect(result.status).toBe('COMPLETED');
    if (result.verdict === 'DEFECT') ids.push(result.id);
    else
      // A random-init model on 64 px parts may calibrate high: make the line stricter.
      await stack.gql(
        owner.token,
        'mutation($i: SetThresholdInput!) { setThreshold(input: $i) { value } }',
        { i: { modelVersionId: seed.versionId, value: result.score * 0.5, reason: 'test' } },
      );
  }
  flagged.push(...ids);
  return ids;
}

async function reviewOf(id: string) {
  const r = await stack.gql(
    owner.token,
    'query($id: ID!) { inspection(id: $id) { review { verdict note reviewer { name } } } }',
    { id },
  );
  return (r.inspection as { review: { verdict: string; note: string | null } | null }).review;
}

const itemTitle = (page: Page) => page.locator('#queue-item-title');

describe('list filters from the URL', () => {
  it('turns search params into an API filter, with whole UTC days', () => {
    const { filter, after, problems } = parseFilters({
      verdict: 'DEFECT',
      reviewed: 'no',
      minScore: '1.5',
      maxScore: '20',
      from: '2026-03-01',
      to: '2026-03-02',
      productModelId: 'pm-1',
      batchId: 'b-1',
      after: 'cursor',
    });
    expect(problems).toEqual([]);
    expect(after).toBe('cursor');
    expect(filter).toEqual({
      verdict: 'DEFECT',
      reviewed: false,
      minScore: 1.5,
      maxScore: 20,
      from: '2026-03-01T00:00:00.000Z',
      // "to" includes its day: createdAt < the next day's start.
      to: '2026-03-03T00:00:00.000Z',
      productModelId: 'pm-1',
      batchId: 'b-1',
    });
  });

  it('drops malformed values and names them instead of sending them', () => {
    const { filter, problems } = parseFilters({
      verdict: 'MAYBE',
      minScore: 'abc',
      from: '2026-02-30',
      reviewed: 'perhaps',
    });
    expect(filter).toEqual({});
    expect(problems).toHaveLength(4);
    const swapped = parseFilters({
      minScore: '5',
      maxScore: '1',
      from: '2026-03-02',
      to: '2026-03-01',
    });
    expect(swapped.filter).toEqual({});
    expect(swapped.problems).toHaveLength(2);
  });

  it('keeps the filters and drops empty ones in page links', () => {
    const { values } = parseFilters({ verdict: 'GOOD', batchId: '' });
    expect(listHref(values, 'c2')).toBe('/inspections?verdict=GOOD&after=c2');
    expect(listHref({})).toBe('/inspections');
  });
});

describe('in the browser', () => {
  beforeAll(async () => {
    stack = await startStack({ distDir: '.next-review' });
    owner = await stack.signUp('rita@review.test', 'Review Works');
    const s = await stack.seedTrainedModel(owner.token, { product: 'Bracket' });
    seed = { productModelId: s.productModelId, versionId: s.versionId };
    await flagMore(3);
  }, 900_000);

  afterAll(async () => {
    await stack?.close();
  });

  describe('review queue', () => {
    it('reviews flagged inspections from the keyboard, with heatmap, regions and live arrivals', async () => {
      const page = await stack.newPage();
      await stack.signInPage(page, owner);
      await page.goto('/review');
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 1 of 3'),
      );
      // The oldest first: the image of the first flagged inspection, with alt text.
      const image = page.getByRole('img', { name: /Inspected part, Bracket, flagged with score/ });
      await image.waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0),
      );
      expect(await page.locator(`a[href="/inspections/${flagged[0]}"]`).count()).toBe(1);

      // Heatmap overlay (H toggles it), region boxes with their peak scores, the legend.
      const heatmap = page.locator('img[data-overlay="heatmap"]');
      expect(await heatmap.count()).toBe(1);
      const boxes = page.locator('[data-region]');
      expect(await boxes.count()).toBeGreaterThan(0);
      expect(await boxes.first().textContent()).toMatch(/^\d+(\.\d+)?$/);
      const box = await boxes.first().boundingBox();
      const shown = await image.boundingBox();
      expect(box && shown).toBeTruthy();
      expect(box!.x).toBeGreaterThanOrEqual(shown!.x - 1);
      expect(box!.x + box!.width).toBeLessThanOrEqual(shown!.x + shown!.width + 1);
      expect(await page.getByRole('img', { name: /Colour scale: turbo/ }).count()).toBe(1);
      await page.keyboard.press('h');
      expect(await heatmap.count()).toBe(0);
      expect(await page.getByRole('checkbox', { name: /Heatmap/ }).isChecked()).toBe(false);
      await page.keyboard.press('h');
      expect(await heatmap.count()).toBe(1);
      // Arrows on the opacity slider move the slider, not the queue.
      const slider = page.getByRole('slider', { name: /Opacity/ });
      await slider.focus();
      await page.keyboard.press('ArrowLeft');
      expect(await slider.inputValue()).toBe('50');
      expect(Number(await heatmap.evaluate((el) => getComputedStyle(el).opacity))).toBeCloseTo(0.5);
      expect(await itemTitle(page).textContent()).toContain('Item 1 of 3');
      // Shortcuts are listed on screen.
      expect(await page.getByRole('heading', { name: 'Keyboard' }).count()).toBe(1);
      await stack.screenshot(page, 'review-queue');

      // Typing a note (full of d, f and h) triggers no shortcut; Esc hands the keys back.
      const note = page.getByLabel('Note (optional)');
      await note.click();
      await page.keyboard.type('dust and a fingerprint, fine part; h');
      expect(await itemTitle(page).textContent()).toContain('Item 1 of 3');
      expect(await heatmap.count()).toBe(1);
      expect(await reviewOf(flagged[0]!)).toBeNull();
      await page.keyboard.press('Escape');
      await page.keyboard.press('f');
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 2 of 3'),
      );
      const status = await page.getByText(/marked as a false positive/).textContent();
      expect(status).toMatch(/fold reviewed false positives into the model/);
      expect(await note.inputValue()).toBe('');
      await page.getByRole('img', { name: /Inspected part, Bracket/ }).waitFor();
      await page.keyboard.press('d');
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 3 of 3'),
      );
      expect(await itemTitle(page).textContent()).toContain('1 left to review');

      expect(await reviewOf(flagged[0]!)).toMatchObject({
        verdict: 'GOOD',
        note: 'dust and a fingerprint, fine part; h',
      });
      expect(await reviewOf(flagged[1]!)).toMatchObject({ verdict: 'DEFECT', note: null });
      expect(await reviewOf(flagged[2]!)).toBeNull();

      // ← goes back and shows what was decided.
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 2 of 3'),
      );
      expect(await page.getByText('You marked this:').textContent()).toContain('Defect confirmed');
      await page.keyboard.press('ArrowRight');

      // A new flagged inspection arrives live and joins the end with a notice.
      await page.getByText('Live', { exact: true }).waitFor();
      const [fresh] = await flagMore(1, 'cam-2');
      await page.getByText('1 new flagged').waitFor({ timeout: 30_000 });
      expect(await itemTitle(page).textContent()).toContain('Item 3 of 4');
      await page.getByRole('button', { name: 'Show new' }).click();
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 4 of 4'),
      );
      await page.locator(`a[href="/inspections/${fresh}"]`).waitFor();
      await page.context().close();
    });

    it('fits a tablet and says when nothing is left', async () => {
      const page = await stack.newPage({ width: 768, height: 1024 });
      await stack.signInPage(page, owner);
      await page.goto('/review');
      await page.getByRole('img', { name: /Inspected part, Bracket/ }).waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await stack.screenshot(page, 'review-queue-tablet');
      // Two are left (items 3 and 4): decide both, then the queue is done.
      await page.keyboard.press('d');
      await page.waitForFunction(() =>
        document.querySelector('#queue-item-title')?.textContent?.includes('Item 2 of 2'),
      );
      await page.keyboard.press('f');
      await page.getByRole('heading', { name: 'All caught up' }).waitFor();
      await page.goto('/review');
      await page.getByRole('heading', { name: 'Nothing to review' }).waitFor();
      await stack.screenshot(page, 'review-queue-empty');
      await page.context().close();
    });
  });

  describe('inspections list', () => {
    it('bulk-inspects in batches (naming the bad file), filters by URL and pages', async () => {
      const line2 = await stack.createProject(owner.token, 'Line 2');
      const other = await stack.createProductModel(owner.token, line2, 'Housing');
      const page = await stack.newPage();
      await stack.signInPage(page, owner);
      await page.goto('/inspections');
      await page.getByRole('heading', { name: 'Inspections', exact: true }).waitFor();
      const listed = () => page.locator('table').first().locator('tbody tr');
      expect(await listed().count()).toBe(inspected);

      // Bulk: 23 good parts and one file that is no image, in two requests (20 + 4).
      const good = await Promise.all(
        Array.from({ length: 23 }, async (_, i) => ({
          name: `part-${String(i).padStart(2, '0')}.png`,
          mimeType: 'image/png',
          buffer: await partPng(3000 + i),
        })),
      );
      const bad = { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') };
      const bulk = page.locator('#inspect');
      await bulk.getByLabel('Product model').selectOption({ label: 'Bracket' });
      await bulk
        .locator('input[type="file"]')
        .setInputFiles([...good.slice(0, 10), bad, ...good.slice(10)]);
      await bulk.getByRole('button', { name: 'Inspect 24 images' }).click();
      await bulk.getByText('23 accepted, 1 refused').waitFor({ timeout: 120_000 });
      const badRow = bulk.locator('tr', { hasText: 'notes.png' });
      expect(await badRow.textContent()).toMatch(/UNSUPPORTED_TYPE|CORRUPT/);
      expect(await bulk.getByRole('link', { name: /batch \d/ }).count()).toBe(2);
      await bulk.getByText('23 of 23 scored').waitFor({ timeout: 180_000 });
      await stack.screenshot(page, 'inspections-bulk');

      // The first batch: its 19 accepted files (20 sent, one refused).
      await bulk.getByRole('link', { name: 'batch 1' }).click();
      await page.waitForURL(/batchId=/);
      await page.getByText(/^Batch /).waitFor();
      expect(await listed().count()).toBe(19);

      // Pages: 25 a page.
      const total = inspected + 23;
      await page.goto('/inspections');
      expect(await listed().count()).toBe(25);
      await page.getByRole('link', { name: 'Next page →' }).click();
      await page.waitForURL(/after=/);
      await page.getByRole('link', { name: '← First page' }).waitFor();
      expect(await listed().count()).toBe(Math.min(25, total - 25));

      // Filters through the form land in the URL.
      await page.goto('/inspections');
      const form = page.getByRole('search');
      await form.getByLabel('Verdict').selectOption('DEFECT');
      await form.getByLabel('Reviewed').selectOption('yes');
      await form.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/verdict=DEFECT/);
      expect(page.url()).toContain('reviewed=yes');
      const reviewedRows = listed();
      expect(await reviewedRows.count()).toBe(4);
      for (const text of await reviewedRows.allTextContents()) expect(text).toContain('DEFECT');
      expect(await reviewedRows.filter({ hasText: 'False positive' }).count()).toBe(2);
      await stack.screenshot(page, 'inspections-list');

      await form.getByLabel('Minimum score').fill('100000');
      await form.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/minScore=100000/);
      await page.getByText('No inspection matches these filters.').waitFor();

      const today = new Date().toISOString().slice(0, 10);
      await page.goto(`/inspections?from=${today}&to=${today}`);
      expect(await listed().count()).toBe(25);
      await page.goto(`/inspections?to=2001-01-01`);
      await page.getByText('No inspection matches these filters.').waitFor();
      await page.goto(`/inspections?productModelId=${other}`);
      expect(await page.getByRole('search').getByLabel('Product model').inputValue()).toBe(other);
      await page.getByText('No inspection matches these filters.').waitFor();
      // A malformed value is named, not sent.
      await page.goto('/inspections?minScore=abc&from=2024-13-45');
      const ignored = await page.getByText(/Some filters were ignored/).textContent();
      expect(ignored).toMatch(/minimum score is not a number/);
      expect(ignored).toMatch(/“from” is not a date/);

      // The detail view: the image with heatmap and regions, and the review.
      await page.goto(`/inspections/${flagged[0]}`);
      await page.getByRole('img', { name: /Inspected part, Bracket/ }).waitFor();
      expect(await page.locator('img[data-overlay="heatmap"]').count()).toBe(1);
      expect(await page.locator('[data-region]').count()).toBeGreaterThan(0);
      expect(await page.getByRole('region', { name: 'Review' }).textContent()).toContain(
        'dust and a fingerprint',
      );
      await stack.screenshot(page, 'inspection-detail');
      await page.goto('/inspections/00000000-0000-0000-0000-000000000000');
      expect(await page.getByText(/not found|could not be found/i).count()).toBeGreaterThan(0);
      await page.context().close();
    });
  });
});
