import { describe, expect, it } from 'vitest';
import { PadimErrorCode } from '../../src/errors.js';
import { f1OptimalThreshold, thresholdForFalseAlarmRate } from '../../src/metrics/index.js';
import { golden, goldenMaps, goldenMasks } from './golden.js';
import { expectPadimError, lcg, snapshot } from './helpers.js';

/** Counts at "score >= t is positive". */
function countsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, t: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= t;
    if (predicted && labels[i] === 1) tp++;
    else if (predicted) fp++;
    else if (labels[i] === 1) fn++;
  }
  return { tp, fp, fn };
}

/** F1 = 2TP / (2TP + FP + FN), exact up to one rounding. */
function f1At(scores: ArrayLike<number>, labels: ArrayLike<number>, t: number): number {
  const { tp, fp, fn } = countsAt(scores, labels, t);
  return (2 * tp) / (2 * tp + fp + fn);
}

/** F1 with numpy's arithmetic on sklearn's precision and recall (what argmax compares). */
function f1AsNumpy(scores: ArrayLike<number>, labels: ArrayLike<number>, t: number): number {
  const { tp, fp, fn } = countsAt(scores, labels, t);
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return precision + recall !== 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

describe('f1OptimalThreshold (golden: sklearn precision_recall_curve + the PaDiM F1 rule)', () => {
  for (const c of golden.image) {
    it(`matches on "${c.name}"`, () => {
      const r = f1OptimalThreshold(c.scores, c.labels);
      expect(r.threshold).toBe(c.f1.threshold);
      expect(Math.abs(r.f1 - c.f1.f1)).toBeLessThan(1e-9);
      expect(Math.abs(r.precision - c.f1.precision)).toBeLessThan(1e-9);
      expect(Math.abs(r.recall - c.f1.recall)).toBeLessThan(1e-9);
    });
  }

  for (const kind of ['continuous', 'quantised'] as const) {
    it(`matches over all pixels of the golden maps (${kind}), as PaDiM picks its pixel threshold`, () => {
      const labels = Uint8Array.from(goldenMasks(), (m) => (m !== 0 ? 1 : 0));
      const r = f1OptimalThreshold(goldenMaps(kind).data, labels);
      const e = golden.pixel[kind].f1;
      expect(r.threshold).toBe(e.threshold);
      expect(Math.abs(r.f1 - e.f1)).toBeLessThan(1e-9);
      expect(Math.abs(r.precision - e.precision)).toBeLessThan(1e-9);
      expect(Math.abs(r.recall - e.recall)).toBeLessThan(1e-9);
    });
  }
});

describe('f1OptimalThreshold (mathematics)', () => {
  it('gives the sklearn documentation example by hand', () => {
    // Thresholds 0.8, 0.4, 0.35, 0.1 give F1 2/3, 1/2, 4/5, 2/3.
    expect(f1OptimalThreshold([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual({
      threshold: 0.35,
      f1: 0.8,
      precision: 2 / 3,
      recall: 1,
    });
  });

  it('finds the maximum F1 over all candidate thresholds, the smallest threshold among ties', () => {
    const rand = lcg(42);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + trial;
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : rand() < 0.35 ? 1 : 0));
      const scores = labels.map((l) => Math.floor(rand() * 6) + l * 2);
      const r = f1OptimalThreshold(scores, labels);
      const best = Math.max(...scores.map((t) => f1At(scores, labels, t)));
      expect(r.f1).toBeCloseTo(best, 12);
      expect(f1At(scores, labels, r.threshold)).toBeCloseTo(best, 12);
      // Ties as numpy's argmax sees them: equal F1 values as computed from precision and recall (two
      // thresholds with the same F1 in exact arithmetic can differ in the last bit there).
      const computed = scores.map((t) => f1AsNumpy(scores, labels, t));
      const top = Math.max(...computed);
      expect(r.f1).toBe(top);
      expect(r.threshold).toBe(Math.min(...scores.filter((_, i) => computed[i] === top)));
    }
  });

  it('is 1 at the lowest positive score for perfectly separated scores', () => {
    const r = f1OptimalThreshold([0.1, 0.2, 0.7, 0.9, 0.3], [0, 0, 1, 1, 0]);
    expect(r).toEqual({ threshold: 0.7, f1: 1, precision: 1, recall: 1 });
  });
});

describe('f1OptimalThreshold (errors and purity)', () => {
  it('rejects bad input with the fitting PadimError code', () => {
    expectPadimError(() => f1OptimalThreshold([1, 2], [0]), PadimErrorCode.SHAPE_MISMATCH);
    expectPadimError(() => f1OptimalThreshold([1, NaN], [0, 1]), PadimErrorCode.NON_FINITE);
    expectPadimError(() => f1OptimalThreshold([], []), PadimErrorCode.INSUFFICIENT_SAMPLES);
    expectPadimError(() => f1OptimalThreshold([1, 2], [0, 3]), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(() => f1OptimalThreshold([1, 2], [1, 1]), PadimErrorCode.INSUFFICIENT_SAMPLES);
  });

  it('does not mutate its inputs', () => {
    const scores = Float64Array.from([3, 1, 2, 5, 4, 2]);
    const labels = Uint8Array.from([1, 0, 0, 1, 1, 1]);
    const [s0, l0] = [snapshot(scores), snapshot(labels)];
    f1OptimalThreshold(scores, labels);
    expect(Array.from(scores)).toEqual(s0);
    expect(Array.from(labels)).toEqual(l0);
  });
});

describe('thresholdForFalseAlarmRate (by hand: flagged iff score > threshold)', () => {
  const tenScores = [4, 9, 1, 7, 10, 2, 8, 3, 6, 5]; // 1..10, shuffled

  it('allows floor(rate * n) false alarms and returns s(a + 1) of the descending scores', () => {
    // n = 10. rate 0: a = 0, threshold s1 = 10, nothing above.
    expect(thresholdForFalseAlarmRate(tenScores, 0)).toEqual({
      threshold: 10,
      falseAlarmRate: 0,
      flagged: 0,
    });
    // rate 0.1: a = 1, threshold s2 = 9, only 10 is above.
    expect(thresholdForFalseAlarmRate(tenScores, 0.1)).toEqual({
      threshold: 9,
      falseAlarmRate: 0.1,
      flagged: 1,
    });
    // rate 0.25: a = floor(2.5) = 2, threshold s3 = 8, 2 above (rate 0.2 <= 0.25).
    expect(thresholdForFalseAlarmRate(tenScores, 0.25)).toEqual({
      threshold: 8,
      falseAlarmRate: 0.2,
      flagged: 2,
    });
    // rate 0.05: a = floor(0.5) = 0, threshold 10.
    expect(thresholdForFalseAlarmRate(tenScores, 0.05).threshold).toBe(10);
    // rate 0.95: a = 9, threshold s10 = 1, 9 above.
    expect(thresholdForFalseAlarmRate(tenScores, 0.95)).toEqual({
      threshold: 1,
      falseAlarmRate: 0.9,
      flagged: 9,
    });
  });

  it('absorbs rounding of rate * n (0.29 * 100 = 28.999999999999996 still allows 29)', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(0.29 * 100).toBeLessThan(29);
    expect(thresholdForFalseAlarmRate(scores, 0.29)).toEqual({
      threshold: 71,
      falseAlarmRate: 0.29,
      flagged: 29,
    });
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(thresholdForFalseAlarmRate(scores, 0.07)).toEqual({
      threshold: 93,
      falseAlarmRate: 0.07,
      flagged: 7,
    });
  });

  it('flags fewer than allowed when the threshold score is tied with scores above it', () => {
    // Descending 5, 5, 5, 1; rate 0.5: a = 2, threshold s3 = 5; nothing is strictly above 5.
    expect(thresholdForFalseAlarmRate([5, 1, 5, 5], 0.5)).toEqual({
      threshold: 5,
      falseAlarmRate: 0,
      flagged: 0,
    });
    // rate 0.75: a = 3, threshold s4 = 1; the three 5s are above it.
    expect(thresholdForFalseAlarmRate([5, 1, 5, 5], 0.75)).toEqual({
      threshold: 1,
      falseAlarmRate: 0.75,
      flagged: 3,
    });
  });

  it('is the smallest normal score meeting the rate (property over random inputs)', () => {
    const rand = lcg(9);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const scores = Array.from({ length: n }, () => Math.floor(rand() * 8));
      const rate = rand() * 0.99;
      const r = thresholdForFalseAlarmRate(scores, rate);
      const above = (t: number): number => scores.filter((s) => s > t).length;
      expect(scores).toContain(r.threshold);
      expect(r.flagged).toBe(above(r.threshold));
      expect(r.falseAlarmRate).toBe(r.flagged / n);
      expect(r.falseAlarmRate).toBeLessThanOrEqual(rate + 1e-12);
      for (const t of scores) if (t < r.threshold) expect(above(t) / n).toBeGreaterThan(rate);
    }
  });

  it('rejects bad input with the fitting PadimError code', () => {
    for (const rate of [-0.01, 1, 1.5, NaN]) {
      expectPadimError(
        () => thresholdForFalseAlarmRate([1, 2, 3], rate),
        PadimErrorCode.INVALID_ARGUMENT,
      );
    }
    expectPadimError(
      () => thresholdForFalseAlarmRate([], 0.1),
      PadimErrorCode.INSUFFICIENT_SAMPLES,
    );
    expectPadimError(() => thresholdForFalseAlarmRate([1, NaN], 0.1), PadimErrorCode.NON_FINITE);
  });

  it('does not mutate its input', () => {
    const scores = Float32Array.from(tenScores);
    thresholdForFalseAlarmRate(scores, 0.3);
    expect(Array.from(scores)).toEqual(tenScores);
  });
});
