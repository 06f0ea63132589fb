import { createRng, f1OptimalThreshold, isFlagged, thresholdForFalseAlarmRate } from '@padim/core';
import type { Detector } from './detector.js';
import type { ImageSource } from './fit.js';
import type { ModelThreshold, ScoreHistogram } from './model-dir.js';

/** The default: at most 1% of normal images flagged. */
export const DEFAULT_FALSE_ALARM_RATE = 0.01;
export const HISTOGRAM_BINS = 30;

export type Verdict = 'anomalous' | 'normal';

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
}

export interface CalibrateOptions {
  /** In [0, 1); default 0.01. */
  readonly targetFalseAlarmRate?: number;
  readonly batchSize?: number;
  readonly bins?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A threshold for a target false-alarm rate, calibrated on held-out normal images only. */
export interface FalseAlarmCalibration extends ModelThreshold {
  readonly method: 'false-alarm-rate';
}

/** Flagged iff core's `isFlagged` (score > threshold): the platform's one rule. */
export function verdictFor(score: number, threshold: number): Verdict {
  return isFlagged(score, threshold) ? 'anomalous' : 'normal';
}

/** Scores every image of a source with the detector, in batches; scores in source order. */
export async function scoreSource(
  detector: Detector,
  source: ImageSource,
  options: {
    readonly batchSize?: number;
    readonly onProgress?: (d: number, t: number) => void;
  } = {},
): Promise<number[]> {
  const batchSize = options.batchSize ?? 8;
  const scores: number[] = [];
  for (let start = 0; start < source.count; start += batchSize) {
    const count = Math.min(batchSize, source.count - start);
    const bytes = await Promise.all(
      Array.from({ length: count }, (_, i) => source.read(start + i)),
    );
    const scored = await detector.scoreImages(bytes);
    for (const s of scored.scores) scores.push(s);
    options.onProgress?.(start + count, source.count);
  }
  return scores;
}

/**
 * Equal-width histogram of scores over [min, max] (the last bin includes max). `edges` has
 * `counts.length + 1` entries; when every score is equal it is one bin [v, v].
 */
export function scoreHistogram(
  scores: readonly number[],
  bins: number = HISTOGRAM_BINS,
): ScoreHistogram {
  if (scores.length === 0) return { edges: [], counts: [] };
  if (!Number.isInteger(bins) || bins < 1)
    throw new CalibrationError(`histogram bins must be a positive integer, got ${bins}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  if (hi === lo) return { edges: [lo, hi], counts: [scores.length] };
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) {
    const k = Math.min(Math.floor((s - lo) / width), bins - 1);
    counts[k] = counts[k]! + 1;
  }
  return { edges, counts };
}

/**
 * Scores held-out normal images and sets the threshold for a target false-alarm rate with core's
 * thresholdForFalseAlarmRate (flagged iff score > threshold). Never sees a defect or test image.
 */
export async function calibrateThreshold(
  detector: Detector,
  normals: ImageSource,
  options: CalibrateOptions = {},
): Promise<FalseAlarmCalibration> {
  const target = options.targetFalseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
  if (!(target >= 0 && target < 1))
    throw new CalibrationError(`the target false-alarm rate must be in [0, 1), got ${target}`);
  if (normals.count < 1)
    throw new CalibrationError('calibration needs at least 1 held-out normal image');
  const scores = await scoreSource(detector, normals, options);
  const normalScores = [...scores].sort((a, b) => a - b);
  const t = thresholdForFalseAlarmRate(normalScores, target);
  return {
    value: t.threshold,
    method: 'false-alarm-rate',
    targetFalseAlarmRate: target,
    achievedFalseAlarmRate: t.falseAlarmRate,
    heldOut: normals.count,
    normalScores,
    histogram: scoreHistogram(normalScores, options.bins),
  };
}

export interface F1Calibration {
  readonly value: number;
  readonly method: 'f1';
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * The F1-optimal threshold of labelled scores (1 = defect) with its precision and recall, from core's
 * f1OptimalThreshold, under the platform's rule (`isFlagged`: score > value); it flags exactly the
 * inputs sklearn's threshold (score >= t) flags.
 */
export function f1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): F1Calibration {
  const t = f1OptimalThreshold(scores, labels);
  return { value: t.threshold, method: 'f1', f1: t.f1, precision: t.precision, recall: t.recall };
}

export interface HoldoutSplit {
  /** Indices used for the fit, ascending. */
  readonly fit: number[];
  /** Held-out indices for calibration, ascending. */
  readonly heldOut: number[];
}

/**
 * Deterministic split of `count` normal images: round(holdout * count) (at least 1 when holdout > 0)
 * chosen by a seeded shuffle are held out; at least 2 must remain for the fit.
 */
export function splitHoldout(count: number, holdout: number, seed = 0): HoldoutSplit {
  if (!Number.isFinite(holdout) || holdout < 0 || holdout >= 1)
    throw new CalibrationError(`--holdout must be a fraction in [0, 1), got ${holdout}`);
  const all = Array.from({ length: count }, (_, i) => i);
  if (holdout === 0) return { fit: all, heldOut: [] };
  const n = Math.max(1, Math.round(holdout * count));
  if (count - n < 2)
    throw new CalibrationError(
      `--holdout ${holdout} of ${count} training images holds out ${n} and leaves ${count - n} for the fit; a fit needs at least 2`,
    );
  const rng = createRng(seed >>> 0);
  // Partial Fisher-Yates: the first n entries are a uniform random n-subset.
  for (let i = 0; i < n; i++) {
    const j = i + rng.nextInt(count - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const heldOut = all.slice(0, n).sort((a, b) => a - b);
  const fit = all.slice(n).sort((a, b) => a - b);
  return { fit, heldOut };
}
