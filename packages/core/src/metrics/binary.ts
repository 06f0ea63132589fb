/**
 * Shared machinery of the binary-classification metrics (internal to src/metrics, not re-exported):
 * input checks, splitting scores by label into two sorted copies, and the walk over distinct thresholds.
 *
 * Sorting two plain typed arrays (native numeric sort, no comparator, no index arrays) keeps the memory at
 * one number per sample and is what lets pixel-level metrics run over millions of pixels.
 */
import { PadimError, PadimErrorCode, assertFinite, assertLength } from '../errors.js';

/** Scores of the positives and of the negatives, each sorted ascending. */
export interface SplitScores<A extends Float32Array | Float64Array = Float64Array> {
  readonly positives: A;
  readonly negatives: A;
}

/** Throws INSUFFICIENT_SAMPLES unless both classes are present. */
export function assertBothClasses(what: string, positives: number, negatives: number): void {
  if (positives === 0 || negatives === 0) {
    throw new PadimError(
      PadimErrorCode.INSUFFICIENT_SAMPLES,
      `${what}: needs both classes, got ${positives} positive and ${negatives} negative samples`,
    );
  }
}

/**
 * Validates `scores` [n] and `labels` [n] (finite scores, labels exactly 0 or 1, both classes present) and
 * returns the scores split by label, sorted ascending, as Float64Array copies.
 */
export function splitByLabel(
  what: string,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): SplitScores {
  assertLength(`${what}: labels`, labels.length, scores.length);
  if (scores.length === 0) {
    throw new PadimError(PadimErrorCode.INSUFFICIENT_SAMPLES, `${what}: no samples`);
  }
  assertFinite(`${what}: scores`, scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 1) positives++;
    else if (label !== 0) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `${what}: labels must be 0 or 1, element ${i} is ${label}`,
      );
    }
  }
  assertBothClasses(what, positives, scores.length - positives);
  const pos = new Float64Array(positives);
  const neg = new Float64Array(scores.length - positives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  return { positives: pos, negatives: neg };
}

/**
 * Visits every distinct score from the highest to the lowest with the cumulative counts of positives (tp)
 * and negatives (fp) whose score is >= it, i.e. sklearn's `_binary_clf_curve` one threshold at a time.
 * Both arrays must be sorted ascending and hold no NaN.
 */
export function walkThresholds(
  positives: Float32Array | Float64Array,
  negatives: Float32Array | Float64Array,
  visit: (threshold: number, tp: number, fp: number) => void,
): void {
  let i = positives.length - 1;
  let j = negatives.length - 1;
  let tp = 0;
  let fp = 0;
  while (i >= 0 || j >= 0) {
    const p = i >= 0 ? positives[i] : -Infinity;
    const q = j >= 0 ? negatives[j] : -Infinity;
    const v = p > q ? p : q;
    while (i >= 0 && positives[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && negatives[j] === v) {
      fp++;
      j--;
    }
    visit(v, tp, fp);
  }
}

/**
 * ROC AUC from sorted split scores: the trapezoid over all distinct thresholds, accumulated in integer
 * counts (exact up to 2^53) and divided once, so ties count one half as in sklearn / Mann-Whitney U.
 */
export function aucOfSorted(
  positives: Float32Array | Float64Array,
  negatives: Float32Array | Float64Array,
): number {
  let twiceArea = 0;
  let tpPrev = 0;
  let fpPrev = 0;
  walkThresholds(positives, negatives, (_t, tp, fp) => {
    twiceArea += (fp - fpPrev) * (tp + tpPrev);
    tpPrev = tp;
    fpPrev = fp;
  });
  return twiceArea / (2 * positives.length * negatives.length);
}
