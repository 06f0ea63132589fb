import { describe, expect, it } from 'vitest';
import { isFlagged } from '../../src/decision.js';
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

/**
 * Asserts that `threshold` under the platform's rule (isFlagged: score > threshold) flags exactly the
 * scores that sklearn's rule flags (score >= sklearnThreshold), and that those flags give `precision`
 * and `recall` against the labels.
 */
function expectSameDecisions(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  sklearnThreshold: number,
  expected: { precision: number; recall: number },
): void {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    const flagged = isFlagged(s, threshold);
    if (flagged !== s >= sklearnThreshold) {
      expect.fail(
        `score ${i} (${s}): isFlagged ${flagged} at ${threshold}, sklearn >= ${sklearnThreshold}`,
      );
    }
    if (labels[i] === 1) positives++;
    if (flagged && labels[i] === 1) tp++;
    else if (flagged) fp++;
  }
  expect(Math.abs(tp / (tp + fp) - expected.precision)).toBeLessThan(1e-9);
  expect(Math.abs(tp / positives - expected.recall)).toBeLessThan(1e-9);
}

/** The largest element of `scores` strictly below `t`, or undefined when there is none. */
function largestBelow(scores: ArrayLike<number>, t: number): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s < t && (best === undefined || s > best)) best = s;
  }
  return best;
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
      expect(r.sklearnThreshold).toBe(c.f1.threshold);
      expect(Math.abs(r.f1 - c.f1.f1)).toBeLessThan(1e-9);
      expect(Math.abs(r.precision - c.f1.precision)).toBeLessThan(1e-9);
      expect(Math.abs(r.recall - c.f1.recall)).toBeLessThan(1e-9);
      // The platform's threshold makes sklearn's decisions on every fixture score (and so its
      // precision and recall), and is the fixture score just below sklearn's threshold.
      expectSameDecisions(c.scores, c.labels, r.threshold, c.f1.threshold, c.f1);
      expect(r.threshold).toBe(largestBelow(c.scores, c.f1.threshold));
    });
  }

  for (const kind of ['continuous', 'quantised'] as const) {
    it(`matches over all pixels of the golden maps (${kind}), as PaDiM picks its pixel threshold`, () => {
      const labels = Uint8Array.from(goldenMasks(), (m) => (m !== 0 ? 1 : 0));
      const maps = goldenMaps(kind).data;
      const r = f1OptimalThreshold(maps, labels);
      const e = golden.pixel[kind].f1;
      expect(r.sklearnThreshold).toBe(e.threshold);
      expect(Math.abs(r.f1 - e.f1)).toBeLessThan(1e-9);
      expect(Math.abs(r.precision - e.precision)).toBeLessThan(1e-9);
      expect(Math.abs(r.recall - e.recall)).toBeLessThan(1e-9);
      expectSameDecisions(maps, labels, r.threshold, e.threshold, e);
      expect(r.threshold).toBe(largestBelow(maps, e.threshold));
    });
  }
});

describe('f1OptimalThreshold (mathematics)', () => {
  it('gives the sklearn documentation example by hand', () => {
    // Thresholds 0.8, 0.4, 0.35, 0.1 give F1 2/3, 1/2, 4/5, 2/3. sklearn flags >= 0.35; the score
    // just below it is 0.1, and > 0.1 flags the same three scores.
    expect(f1OptimalThreshold([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual({
      threshold: 0.1,
      sklearnThreshold: 0.35,
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
      expect(f1At(scores, labels, r.sklearnThreshold)).toBeCloseTo(best, 12);
      // Ties as numpy's argmax sees them: equal F1 values as computed from precision and recall (two
      // thresholds with the same F1 in exact arithmetic can differ in the last bit there).
      const computed = scores.map((t) => f1AsNumpy(scores, labels, t));
      const top = Math.max(...computed);
      expect(r.f1).toBe(top);
      expect(r.sklearnThreshold).toBe(Math.min(...scores.filter((_, i) => computed[i] === top)));
      expectSameDecisions(scores, labels, r.threshold, r.sklearnThreshold, r);
    }
  });

  it('is 1 for perfectly separated scores: sklearn at the lowest positive, ours at the highest negative', () => {
    const r = f1OptimalThreshold([0.1, 0.2, 0.7, 0.9, 0.3], [0, 0, 1, 1, 0]);
    expect(r).toEqual({ threshold: 0.3, sklearnThreshold: 0.7, f1: 1, precision: 1, recall: 1 });
  });
});

describe('f1OptimalThreshold under the platform rule (isFlagged: score > threshold)', () => {
  it('steps over tied scores as one: ties across classes', () => {
    // Distinct thresholds 3, 2, 1: (tp, fp) = (2, 1), (3, 2), (3, 3); F1 = 2/3, 3/4, 2/3.
    const scores = [1, 2, 2, 3, 3, 3];
    const labels = [0, 0, 1, 0, 1, 1];
    const r = f1OptimalThreshold(scores, labels);
    expect(r).toMatchObject({ threshold: 1, sklearnThreshold: 2, precision: 3 / 5, recall: 1 });
    // 2PR / (P + R) with P = 0.6 rounds to 0.7499999999999999 in numpy's arithmetic, which is ours.
    expect(r.f1).toBeCloseTo(0.75, 15);
    expect(scores.filter((s) => isFlagged(s, r.threshold))).toEqual([2, 2, 3, 3, 3]);
  });

  it('flags everything when the optimum is at the smallest score: the double just below it', () => {
    // Thresholds 0.9, 0.5, 0.2: F1 = 2/3, 1/2, 4/5; the best, 0.2, is the minimum. 0.2 lies in
    // [2^-3, 2^-2), where doubles are 2^-3 * 2^-52 = 2^-55 apart.
    const r = f1OptimalThreshold([0.5, 0.2, 0.9], [0, 1, 1]);
    expect(r.sklearnThreshold).toBe(0.2);
    expect(r.threshold).toBe(0.2 - 2 ** -55);
    expect(r.threshold).toBeLessThan(0.2);
    expect((r.threshold + 0.2) / 2 === r.threshold || (r.threshold + 0.2) / 2 === 0.2).toBe(true);
    expect([0.5, 0.2, 0.9].every((s) => isFlagged(s, r.threshold))).toBe(true);
    expect(r).toMatchObject({ f1: 0.8, precision: 2 / 3, recall: 1 });
    // All scores equal: the only threshold flags all of them.
    const flat = f1OptimalThreshold([7, 7, 7], [0, 1, 1]);
    expect(flat.sklearnThreshold).toBe(7);
    expect(flat.threshold).toBe(7 - 2 ** -50); // [4, 8): spacing 2^2 * 2^-52
    expect(isFlagged(7, flat.threshold)).toBe(true);
  });

  it('handles negative scores, below and at the minimum', () => {
    // sklearn flags >= -2; the score below is -4.
    expect(f1OptimalThreshold([-5, -4, -2, -1], [0, 0, 1, 1])).toEqual({
      threshold: -4,
      sklearnThreshold: -2,
      f1: 1,
      precision: 1,
      recall: 1,
    });
    // Thresholds 2, -1, -3: F1 = 2/3, 1/2, 4/5. Best at the minimum -3; in [2, 4) doubles are 2^-51
    // apart, and below a negative number the magnitude grows.
    const r = f1OptimalThreshold([-1, -3, 2], [0, 1, 1]);
    expect(r.sklearnThreshold).toBe(-3);
    expect(r.threshold).toBe(-3 - 2 ** -51);
    expect([-1, -3, 2].every((s) => isFlagged(s, r.threshold))).toBe(true);
  });

  it('handles zero: as the score below the optimum, and as the minimum', () => {
    // sklearn flags >= 1; the score below is 0, and 0 > 0 is false.
    const below = f1OptimalThreshold([0, 0, 1, 2], [0, 0, 1, 1]);
    expect(below).toMatchObject({ threshold: 0, sklearnThreshold: 1, f1: 1 });
    expect(isFlagged(0, below.threshold)).toBe(false);
    // Negative zero is a score like zero.
    const negZero = f1OptimalThreshold([-0, 1], [0, 1]);
    expect(negZero.threshold === 0 && negZero.sklearnThreshold === 1).toBe(true);
    expect(isFlagged(-0, negZero.threshold)).toBe(false);
    // Thresholds 1, 0.5, 0: F1 = 2/3, 1/2, 4/5. Best at the minimum 0: the largest double below
    // zero is -2^-1074 (Number.MIN_VALUE negated).
    const atZero = f1OptimalThreshold([0.5, 0, 1], [0, 1, 1]);
    expect(atZero.sklearnThreshold).toBe(0);
    expect(atZero.threshold).toBe(-Number.MIN_VALUE);
    expect(isFlagged(0, atZero.threshold)).toBe(true);
    expect(isFlagged(-0, atZero.threshold)).toBe(true);
  });

  it('makes sklearn decisions on every input (property: random scores of both signs, ties, float32)', () => {
    const rand = lcg(7);
    let atMinimum = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(rand() * 30);
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : rand() < 0.5 ? 1 : 0));
      const raw = labels.map((l) => (rand() - 0.5) * 8 + l * rand() * 4);
      // Some trials quantised (ties), some as float32 values (pixel maps).
      const scores =
        trial % 3 === 0
          ? raw.map((v) => Math.round(v))
          : trial % 3 === 1
            ? Float32Array.from(raw)
            : raw;
      const r = f1OptimalThreshold(scores, labels);
      expectSameDecisions(scores, labels, r.threshold, r.sklearnThreshold, r);
      expect(r.threshold).toBeLessThan(r.sklearnThreshold);
      const below = largestBelow(scores, r.sklearnThreshold);
      if (below === undefined) {
        atMinimum++;
        // No score below: the double adjacent to sklearn's threshold (nothing in between).
        const mid = (r.threshold + r.sklearnThreshold) / 2;
        expect(mid === r.threshold || mid === r.sklearnThreshold).toBe(true);
      } else expect(r.threshold === below).toBe(true); // -0 and 0 are the same score
    }
    // Both branches were exercised.
    expect(atMinimum).toBeGreaterThan(0);
    expect(atMinimum).toBeLessThan(200);
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
