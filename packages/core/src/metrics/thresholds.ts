/**
 * Operating thresholds: the F1-optimal threshold of a labelled set, and a false-alarm-rate calibration on
 * normal images only.
 */
import { PadimError, PadimErrorCode, assertFinite } from '../errors.js';
import { splitByLabel, walkThresholds } from './binary.js';

export interface F1Threshold {
  /** Decision threshold: score >= threshold is positive (anomalous). One of the input scores. */
  readonly threshold: number;
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
 * Throws PadimError: SHAPE_MISMATCH (lengths differ), NON_FINITE (NaN or infinite score), INVALID_ARGUMENT
 * (a label other than 0 or 1), INSUFFICIENT_SAMPLES (empty, or only one class present).
 */
export function f1OptimalThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): F1Threshold {
  const { positives, negatives } = splitByLabel('f1OptimalThreshold', scores, labels);
  const totalPositives = positives.length;
  let best: F1Threshold = { threshold: NaN, f1: -1, precision: NaN, recall: NaN };
  walkThresholds(positives, negatives, (threshold, tp, fp) => {
    const precision = tp / (tp + fp);
    const recall = tp / totalPositives;
    const a = 2 * precision * recall;
    const b = precision + recall;
    const f1 = b !== 0 ? a / b : 0;
    // Thresholds come in decreasing order here, so ">=" keeps the smallest among equal maxima.
    if (f1 >= best.f1) best = { threshold, f1, precision, recall };
  });
  return best;
}

export interface FalseAlarmThreshold {
  /** Flag an image iff its score > threshold. One of the normal scores. */
  readonly threshold: number;
  /** Fraction of the normal scores strictly above the threshold: <= the requested rate. */
  readonly falseAlarmRate: number;
  /** Number of normal scores strictly above the threshold. */
  readonly flagged: number;
}

/**
 * Calibrates a decision threshold on the scores of normal images only, for a target false-alarm `rate` in
 * [0, 1). An image is flagged iff score > threshold. The threshold is the smallest normal score t such that
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
  while (k < n && sorted[k] <= threshold) k++;
  const flagged = n - k;
  return { threshold, falseAlarmRate: flagged / n, flagged };
}
