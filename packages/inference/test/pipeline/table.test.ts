import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable, runTable, writeSynthDataset } from '../helpers/api.js';

const root = mkdtempSync(join(tmpdir(), 'padim-table-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("padim table: the paper's ablation rows", () => {
  beforeAll(async () => {
    // Two categories; "carpet" counts as a texture in the paper's split, "part" as an object.
    await writeSynthDataset(join(root, 'carpet'), {
      size: 48,
      train: 6,
      testGood: 2,
      testPerDefect: 1,
      kinds: ['spot', 'missing'],
      seed: 2,
    });
    await writeSynthDataset(join(root, 'part'), {
      size: 48,
      train: 6,
      testGood: 2,
      testPerDefect: 1,
      kinds: ['crack', 'missing'],
      seed: 3,
    });
  });

  it('fits every requested row per category and summarises textures, objects and all', async () => {
    const rows = ['layer1', 'layer3', 'layer-sum', 'rd100'];
    const result = await runTable(
      root,
      { kind: 'resnet18', randomSeed: 1 },
      { providers: ['cpu'] },
      { rows, batchSize: 4 },
    );
    expect(result.rows).toEqual(rows);
    expect(Object.keys(result.categories).sort()).toEqual(['carpet', 'part']);
    for (const name of ['carpet', 'part']) {
      for (const row of rows) {
        const m = result.categories[name]![row as 'rd100']!;
        expect(m.images).toBe(4);
        for (const v of [m.imageAuroc, m.pixelAuroc, m.pro]) {
          expect(v).not.toBeNull();
          expect(v!).toBeGreaterThanOrEqual(0);
          expect(v!).toBeLessThanOrEqual(1);
        }
      }
    }
    // Means are means: "all" averages the two categories.
    const a = result.categories.carpet!.rd100!.pixelAuroc!;
    const b = result.categories.part!.rd100!.pixelAuroc!;
    expect(result.summary.all.rd100!.pixelAuroc).toBeCloseTo((a + b) / 2, 12);
    expect(result.summary.textures.rd100!.pixelAuroc).toBeCloseTo(a, 12);
    expect(result.summary.objects.rd100!.pixelAuroc).toBeCloseTo(b, 12);
    // Strong synthetic defects are found by the joint Gaussian.
    expect(result.summary.all.rd100!.pixelAuroc!).toBeGreaterThan(0.8);
    const text = formatTable(result);
    expect(text).toMatch(/Layer 1\+2\+3 \(maps summed\)/);
    expect(text).toMatch(/random-init/);
  });

  it('rejects an unknown row', async () => {
    await expect(
      runTable(root, { kind: 'resnet18' }, { providers: ['cpu'] }, { rows: ['rd300'] }),
    ).rejects.toThrow(/unknown row rd300/);
  });
});
