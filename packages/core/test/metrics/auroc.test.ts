import { describe, expect, it } from 'vitest';
import { PadimErrorCode } from '../../src/errors.js';
import { auroc, pixelAuroc, rocCurve } from '../../src/metrics/index.js';
import type { Map2D } from '../../src/metrics/index.js';
import { golden, goldenMaps, goldenMasks } from './golden.js';
import { expectAllClose, expectPadimError, lcg, snapshot } from './helpers.js';

/** Mann-Whitney by brute force over all (positive, negative) pairs: ties count one half. */
function pairwiseAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function randomCase(
  seed: number,
  n: number,
  levels: number,
): { scores: Float64Array; labels: Uint8Array } {
  const rand = lcg(seed);
  const labels = Uint8Array.from({ length: n }, (_, i) => (i < 2 ? i : rand() < 0.4 ? 1 : 0));
  const scores = Float64Array.from(labels, (l) => Math.floor(rand() * levels) + l * levels * 0.3);
  return { scores, labels };
}

describe('auroc (golden: sklearn.metrics.roc_auc_score)', () => {
  for (const c of golden.image) {
    it(`matches sklearn on "${c.name}"`, () => {
      expect(Math.abs(auroc(c.scores, c.labels) - c.auroc)).toBeLessThan(1e-9);
    });
  }

  it('gives the sklearn documentation example by hand: 3 of 4 pairs ordered', () => {
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });
});

describe('auroc (mathematics)', () => {
  it('is 1 for perfectly separated scores and 0 for reversed ones', () => {
    const labels = [0, 1, 0, 1, 1, 0, 0];
    const separated = labels.map((l, i) => (l === 1 ? 10 + i : i));
    expect(auroc(separated, labels)).toBe(1);
    expect(
      auroc(
        separated.map((s) => -s),
        labels,
      ),
    ).toBe(0);
  });

  it('is 0.5 when every score is tied', () => {
    expect(auroc([3, 3, 3, 3, 3], [0, 1, 1, 0, 0])).toBe(0.5);
  });

  it('equals the pairwise Mann-Whitney statistic, ties counted one half', () => {
    for (const [seed, levels] of [
      [1, 4],
      [2, 1000],
      [3, 2],
    ] as const) {
      const { scores, labels } = randomCase(seed, 200, levels);
      expect(auroc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it('is unchanged by a strictly increasing transform and complements under negation', () => {
    const { scores, labels } = randomCase(7, 150, 9);
    const a = auroc(scores, labels);
    expect(
      auroc(
        scores.map((s) => Math.exp(s / 3) - 5),
        labels,
      ),
    ).toBeCloseTo(a, 14);
    expect(
      auroc(
        scores.map((s) => -s),
        labels,
      ),
    ).toBeCloseTo(1 - a, 14);
  });

  it('accepts any ArrayLike (number[], Float32Array, Uint8Array labels)', () => {
    const { scores, labels } = randomCase(11, 80, 50);
    const a = auroc(scores, labels);
    expect(auroc(Array.from(scores), Array.from(labels))).toBe(a);
    expect(auroc(Float32Array.from(scores), labels)).toBe(a);
  });
});

describe('auroc / rocCurve (errors and purity)', () => {
  for (const [name, fn] of [
    ['auroc', auroc],
    ['rocCurve', rocCurve],
  ] as const) {
    it(`${name} rejects bad input with the fitting PadimError code`, () => {
      expectPadimError(() => fn([1, 2, 3], [0, 1]), PadimErrorCode.SHAPE_MISMATCH);
      expectPadimError(() => fn([1, NaN, 3], [0, 1, 0]), PadimErrorCode.NON_FINITE);
      expectPadimError(() => fn([1, Infinity, 3], [0, 1, 0]), PadimErrorCode.NON_FINITE);
      expectPadimError(() => fn([], []), PadimErrorCode.INSUFFICIENT_SAMPLES);
      expectPadimError(() => fn([1, 2, 3], [0, 2, 1]), PadimErrorCode.INVALID_ARGUMENT);
      expectPadimError(() => fn([1, 2, 3], [0, -1, 1]), PadimErrorCode.INVALID_ARGUMENT);
      expectPadimError(() => fn([1, 2, 3], [1, 1, 1]), PadimErrorCode.INSUFFICIENT_SAMPLES);
      expectPadimError(() => fn([1, 2, 3], [0, 0, 0]), PadimErrorCode.INSUFFICIENT_SAMPLES);
    });

    it(`${name} does not mutate its inputs`, () => {
      const { scores, labels } = randomCase(5, 60, 7);
      const [s0, l0] = [snapshot(scores), snapshot(labels)];
      fn(scores, labels);
      expect(Array.from(scores)).toEqual(s0);
      expect(Array.from(labels)).toEqual(l0);
    });
  }
});

describe('rocCurve (golden: sklearn.metrics.roc_curve, drop_intermediate=False)', () => {
  for (const c of golden.image) {
    it(`matches sklearn on "${c.name}"`, () => {
      const roc = rocCurve(c.scores, c.labels);
      expectAllClose(roc.fpr, c.roc.fpr, 1e-15);
      expectAllClose(roc.tpr, c.roc.tpr, 1e-15);
      expect(roc.thresholds[0]).toBe(Infinity);
      expect(Array.from(roc.thresholds.subarray(1))).toEqual(c.roc.thresholdsAfterFirst);
    });
  }

  it('has one point per distinct score plus the origin, and its trapezoid is the AUROC', () => {
    const { scores, labels } = randomCase(3, 120, 6);
    const roc = rocCurve(scores, labels);
    expect(roc.fpr.length).toBe(new Set(scores).size + 1);
    expect([roc.fpr[0], roc.tpr[0]]).toEqual([0, 0]);
    expect([roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < roc.fpr.length; i++) {
      area += ((roc.fpr[i]! - roc.fpr[i - 1]!) * (roc.tpr[i]! + roc.tpr[i - 1]!)) / 2;
    }
    expect(area).toBeCloseTo(auroc(scores, labels), 14);
  });
});

describe('pixelAuroc', () => {
  const maps = goldenMaps('continuous');
  const masks = goldenMasks();
  const { count, height, width } = golden.pixel;
  const size = height * width;

  for (const kind of ['continuous', 'quantised'] as const) {
    it(`matches sklearn roc_auc_score over all pixels (${kind} maps)`, () => {
      const value = pixelAuroc(goldenMaps(kind), masks);
      expect(Math.abs(value - golden.pixel[kind].pixelAuroc)).toBeLessThan(1e-9);
    });
  }

  it('accepts a Maps tensor, a Map2D list, or flat Float32Array maps, with flat or per-image masks', () => {
    const expected = pixelAuroc(maps, masks);
    const list: Map2D[] = [];
    const flat: Float32Array[] = [];
    const maskList: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const data = maps.data.slice(i * size, (i + 1) * size);
      list.push({ data, shape: [height, width] });
      flat.push(data);
      maskList.push(masks.slice(i * size, (i + 1) * size).map((v) => v * 255));
    }
    expect(pixelAuroc(list, maskList)).toBe(expected);
    expect(pixelAuroc(flat, masks)).toBe(expected);
    expect(pixelAuroc(flat, maskList)).toBe(expected);
  });

  it('equals auroc over the flattened pixels', () => {
    const labels = Uint8Array.from(masks, (m) => (m !== 0 ? 1 : 0));
    expect(pixelAuroc(maps, masks)).toBe(auroc(maps.data, labels));
  });

  it('rejects bad input with the fitting PadimError code', () => {
    expectPadimError(() => pixelAuroc(maps, masks.subarray(1)), PadimErrorCode.SHAPE_MISMATCH);
    expectPadimError(
      () => pixelAuroc({ data: maps.data, shape: [count, height, width + 1] }, masks),
      PadimErrorCode.SHAPE_MISMATCH,
    );
    expectPadimError(() => pixelAuroc([maps.data], [masks, masks]), PadimErrorCode.SHAPE_MISMATCH);
    expectPadimError(() => pixelAuroc([], []), PadimErrorCode.INSUFFICIENT_SAMPLES);
    expectPadimError(
      () => pixelAuroc(maps, new Uint8Array(masks.length)),
      PadimErrorCode.INSUFFICIENT_SAMPLES,
    );
    expectPadimError(
      () => pixelAuroc(maps, new Uint8Array(masks.length).fill(1)),
      PadimErrorCode.INSUFFICIENT_SAMPLES,
    );
    const bad = maps.data.slice();
    bad[1000] = NaN;
    expectPadimError(
      () => pixelAuroc({ data: bad, shape: maps.shape }, masks),
      PadimErrorCode.NON_FINITE,
    );
  });

  it('does not mutate its inputs', () => {
    const [m0, k0] = [snapshot(maps.data), snapshot(masks)];
    pixelAuroc(maps, masks);
    expect(Array.from(maps.data)).toEqual(m0);
    expect(Array.from(masks)).toEqual(k0);
  });

  it('scales to 200 maps of 224 x 224 (10M pixels), exact against a histogram count', () => {
    // 256 score levels: the AUROC is then exactly computable from two histograms.
    const n = 200 * 224 * 224;
    const data = new Float32Array(n);
    const mask = new Uint8Array(n);
    const hist = [new Float64Array(256), new Float64Array(256)] as const;
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const defect = s >>> 24 < 20 ? 1 : 0;
      const level = Math.min(255, ((s >>> 8) & 0xff) + defect * 40);
      mask[i] = defect;
      data[i] = level / 8;
      hist[defect][level]++;
    }
    let wins = 0;
    let below = 0;
    let positives = 0;
    for (let k = 0; k < 256; k++) {
      wins += hist[1][k]! * (below + hist[0][k]! / 2);
      below += hist[0][k]!;
      positives += hist[1][k]!;
    }
    const value = pixelAuroc({ data, shape: [200, 224, 224] }, mask);
    expect(Math.abs(value - wins / (positives * below))).toBeLessThan(1e-12);
  }, 60_000);
});
