/**
 * Operating thresholds: the F1-optimal threshold of a labelled set, and a false-alarm-rate calibration on
 * normal images only.
 */
import { isFlagged } from '../decision.js';
import { PadimError, PadimErrorCode, assertFinite } from '../errors.js';
import { nextDown } from '../float64.js';
import { splitByLabel, walkThresholds } from './binary.js';

export interface F1Threshold {
  /**
   * Decision threshold under the platform's rule, isFlagged(score, threshold) (score > threshold):
   * flags exactly the input scores that sklearn's rule flags, score >= sklearnThreshold. It is the
   * largest input score strictly below sklearnThreshold or, when sklearnThreshold is the smallest
   * input score (the optimum flags everything), nextDown(sklearnThreshold), the largest double
   * below it. Store it as a float64: rounding it (e.g. to float32) can change decisions.
   */
  readonly threshold: number;
  /**
   * sklearn's threshold, thresholds[argmax(f1)] of precision_recall_curve: score >= sklearnThreshold
   * is positive. One of the input scores.
   */
  readonly sklearnThreshold: number;
  /** F1, precision and recall at the threshold (the same under either rule). */
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * The threshold that maximises F1 over the thresholds of sklearn.metrics.precision_recall_curve(labels,
 * scores) (every distinct score; positive iff score >= threshold), with the F1 rule of the PaDiM reference
 * implementation: f1 = 2 * precision * recall / (precision + recall), threshold = thresholds[argmax(f1)].
 * Among equal maxima the smallest threshold wins (argmax's first index in sklearn's ascending order).
 * "Equal" is as computed in floating point: the arithmetic is the same as numpy's, so the choice is the
 * same bit for bit even where two thresholds tie in exact arithmetic but not after rounding. `scores` and `labels` are [n],
 * labels 0 or 1; pixel maps work too (pass map data and mask bytes as 0/1 labels).
 *
 * sklearn's value is returned as `sklearnThreshold`; `threshold` is the same decision restated for the
 * platform's strict rule (isFlagged): for every input score s, isFlagged(s, threshold) equals
 * s >= sklearnThreshold, because no input score lies in (threshold, sklearnThreshold). A score that
 * was not an input and falls in that gap is flagged by `threshold` and not by sklearn's rule.
 *
 * Throws PadimError: SHAPE_MISMATCH (lengths differ), NON_FINITE (NaN or infinite score), INVALID_ARGUMENT
 * (a label other than 0 or 1), INSUFFICIENT_SAMPLES (empty, or only one class present).
 */
export function f1OptimalThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): F1Threshold {
  const { positives, negatives } = splitByLabel('f1OptimalThreshold', scores, labels);
  const totalPositives = positives.length;
  let best = { sklearnThreshold: NaN, f1: -1, precision: NaN, recall: NaN };
  // The largest distinct score below best.sklearnThreshold, once the walk has passed it.
  let below = NaN;
  let bestIsPrevious = false;
  walkThresholds(positives, negatives, (threshold, tp, fp) => {
    // Distinct scores come in decreasing order: this one is the next below the previous one.
    if (bestIsPrevious) below = threshold;
    const precision = tp / (tp + fp);
    const recall = tp / totalPositives;
    const a = 2 * precision * recall;
    const b = precision + recall;
    const f1 = b !== 0 ? a / b : 0;
    // Decreasing order, so ">=" keeps the smallest threshold among equal maxima.
    bestIsPrevious = f1 >= best.f1;
    if (bestIsPrevious) best = { sklearnThreshold: threshold, f1, precision, recall };
  });
  // Best at the smallest score: no input score is below it, so step to the next double down.
  const threshold = bestIsPrevious ? nextDown(best.sklearnThreshold) : below;
  return { threshold, ...best };
}

export interface FalseAlarmThreshold {
  /** Flag an image iff isFlagged(score, threshold) (score > threshold). One of the normal scores. */
  readonly threshold: number;
  /** Fraction of the normal scores strictly above the threshold: <= the requested rate. */
  readonly falseAlarmRate: number;
  /** Number of normal scores strictly above the threshold. */
  readonly flagged: number;
}

/**
 * Calibrates a decision threshold on the scores of normal images only, for a target false-alarm `rate` in
 * [0, 1). An image is flagged iff isFlagged(score, threshold), i.e. score > threshold. The threshold is the smallest normal score t such that
 * the fraction of normal scores strictly above t is <= rate: with the n scores sorted descending
 * s1 >= s2 >= ... >= sn and a = floor(rate * n + 1e-9) allowed false alarms (the 1e-9 absorbs rounding
 * such as 0.29 * 100 = 28.999...), threshold = s(a + 1). Where s(a + 1) is tied with scores above it,
 * fewer than a scores are above it, so the achieved rate (returned) can be below the target. rate = 0
 * gives the maximum normal score (nothing flagged).
 *
 * Throws PadimError: INSUFFICIENT_SAMPLES (no scores), NON_FINITE (NaN or infinite score),
 * INVALID_ARGUMENT (rate not in [0, 1)).
 */
export function thresholdForFalseAlarmRate(
  normalScores: ArrayLike<number>,
  rate: number,
): FalseAlarmThreshold {
  if (!(rate >= 0 && rate < 1)) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `thresholdForFalseAlarmRate: rate must be in [0, 1), got ${rate}`,
    );
  }
  const n = normalScores.length;
  if (n === 0) {
    throw new PadimError(
      PadimErrorCode.INSUFFICIENT_SAMPLES,
      'thresholdForFalseAlarmRate: no scores',
    );
  }
  assertFinite('thresholdForFalseAlarmRate: normalScores', normalScores);
  const sorted = Float64Array.from(normalScores).sort();
  const allowed = Math.min(Math.floor(rate * n + 1e-9), n - 1);
  let k = n - 1 - allowed;
  const threshold = sorted[k];
  while (k < n && !isFlagged(sorted[k], threshold)) k++;
  const flagged = n - k;
  return { threshold, falseAlarmRate: flagged / n, flagged };
}
