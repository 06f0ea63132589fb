import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { aupro, auroc, pixelAuroc, type Maps } from '@padim/core';
import { encodeNpy } from '../data/npy.js';
import type { MvtecCategory, TestSample } from '../data/mvtec.js';
import { preprocessMask } from '../preprocess/index.js';
import type { Detector } from './detector.js';

export interface ScoreRecord {
  readonly type: string;
  readonly stem: string;
  readonly score: number;
}

export interface Metrics {
  readonly imageAuroc: number | null;
  readonly pixelAuroc: number | null;
  readonly pro: number | null;
  readonly images: number;
}

export interface EvalResult extends Metrics {
  readonly perType: Record<string, Metrics>;
  readonly scores: readonly ScoreRecord[];
  readonly timings: { readonly totalMs: number; readonly perImageMs: number };
}

export interface EvalOptions {
  readonly batchSize?: number;
  readonly saveMapsDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-image inputs of the metrics: score, label, map and mask (masks of normal images are zero). */
export interface LabelledMap {
  readonly type: string;
  readonly stem: string;
  readonly score: number;
  readonly map: Float32Array;
  readonly mask: Uint8Array | undefined;
}

function safe(metric: () => number): number | null {
  try {
    return metric();
  } catch {
    return null; // e.g. only one class present: the metric is undefined, not zero
  }
}

/** image AUROC, pixel AUROC and AUPRO@0.3 over a set of scored images of side `size`. */
export function computeMetrics(items: readonly LabelledMap[], size: number): Metrics {
  const scores = items.map((i) => i.score);
  const labels = items.map((i) => (i.type === 'good' ? 0 : 1));
  const withMasks = items.filter((i) => i.type === 'good' || i.mask !== undefined);
  const n = withMasks.length;
  const maps: Maps = { data: new Float32Array(n * size * size), shape: [n, size, size] };
  const masks = new Uint8Array(n * size * size);
  withMasks.forEach((item, k) => {
    maps.data.set(item.map, k * size * size);
    if (item.mask) masks.set(item.mask, k * size * size);
  });
  return {
    imageAuroc: safe(() => auroc(scores, labels)),
    pixelAuroc: n > 0 ? safe(() => pixelAuroc(maps, masks)) : null,
    pro: n > 0 ? safe(() => aupro(maps, masks)) : null,
    images: items.length,
  };
}

/** Metrics overall and per defect type (each type against the good images). */
export function metricsByType(
  items: readonly LabelledMap[],
  size: number,
): { overall: Metrics; perType: Record<string, Metrics> } {
  const good = items.filter((i) => i.type === 'good');
  const types = [...new Set(items.map((i) => i.type))].filter((t) => t !== 'good').sort();
  const perType: Record<string, Metrics> = {};
  for (const t of types)
    perType[t] = computeMetrics([...good, ...items.filter((i) => i.type === t)], size);
  return { overall: computeMetrics(items, size), perType };
}

async function maskFor(sample: TestSample, detector: Detector): Promise<Uint8Array | undefined> {
  if (!sample.maskPath) return undefined;
  return preprocessMask(
    new Uint8Array(await readFile(sample.maskPath)),
    detector.preprocessOptions,
  );
}

/** Scores every test image of an MVTec-layout category and computes the paper's metrics. */
export async function evaluateCategory(
  detector: Detector,
  category: MvtecCategory,
  options: EvalOptions = {},
): Promise<EvalResult> {
  const batchSize = options.batchSize ?? 8;
  const start = performance.now();
  const items: LabelledMap[] = [];
  const size = detector.loaded.manifest.imageSize;
  for (let i = 0; i < category.test.length; i += batchSize) {
    const group = category.test.slice(i, i + batchSize);
    const bytes = await Promise.all(group.map(async (s) => new Uint8Array(await readFile(s.path))));
    const scored = await detector.scoreImages(bytes);
    for (const [k, sample] of group.entries()) {
      const map = scored.maps.slice(k * size * size, (k + 1) * size * size);
      items.push({
        type: sample.type,
        stem: sample.stem,
        score: scored.scores[k]!,
        map,
        mask: await maskFor(sample, detector),
      });
      if (options.saveMapsDir) {
        const path = join(options.saveMapsDir, sample.type, `${sample.stem}.npy`);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, encodeNpy(map, [size, size]));
      }
    }
    options.onProgress?.(Math.min(i + batchSize, category.test.length), category.test.length);
  }
  const totalMs = performance.now() - start;
  const { overall, perType } = metricsByType(items, size);
  return {
    ...overall,
    perType,
    scores: items.map((i) => ({ type: i.type, stem: i.stem, score: i.score })),
    timings: { totalMs, perImageMs: totalMs / Math.max(1, items.length) },
  };
}
