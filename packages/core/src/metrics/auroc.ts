/**
 * Area under the ROC curve: image level (one score per image) and pixel level (every pixel of every map).
 */
import { aucOfSorted, assertBothClasses, splitByLabel, walkThresholds } from './binary.js';
import { countDefects, pixelImages } from './pixels.js';
import type { MaskSet, PixelMapSet } from './pixels.js';

/** A ROC curve: one point per distinct score, from the strictest threshold to the loosest. */
export interface RocCurve {
  /** False-positive rate of each point, nondecreasing from 0 to 1. */
  readonly fpr: Float64Array;
  /** True-positive rate of each point, nondecreasing from 0 to 1. */
  readonly tpr: Float64Array;
  /** Decision threshold of each point (score >= threshold is positive); thresholds[0] is +Infinity. */
  readonly thresholds: Float64Array;
}

/**
 * ROC AUC of `scores` [n] against binary `labels` [n] (1 = anomalous, 0 = normal); a higher score means
 * more anomalous. Equals sklearn.metrics.roc_auc_score(labels, scores), ties included: the trapezoid over
 * the distinct thresholds, so a tie between a positive and a negative counts one half.
 *
 * Throws PadimError: SHAPE_MISMATCH (lengths differ), NON_FINITE (NaN or infinite score), INVALID_ARGUMENT
 * (a label other than 0 or 1), INSUFFICIENT_SAMPLES (empty, or only one class present).
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { positives, negatives } = splitByLabel('auroc', scores, labels);
  return aucOfSorted(positives, negatives);
}

/**
 * ROC curve of `scores` [n] against binary `labels` [n], as sklearn.metrics.roc_curve(labels, scores,
 * drop_intermediate=False): a first point (0, 0) at threshold +Infinity (scikit-learn >= 1.3; older
 * versions put max(score) + 1 there), then one point per distinct score in decreasing order. The arrays
 * have (distinct scores + 1) elements. Errors as auroc.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const { positives, negatives } = splitByLabel('rocCurve', scores, labels);
  const capacity = positives.length + negatives.length + 1;
  const fpr = new Float64Array(capacity);
  const tpr = new Float64Array(capacity);
  const thresholds = new Float64Array(capacity);
  thresholds[0] = Infinity;
  let k = 1;
  walkThresholds(positives, negatives, (threshold, tp, fp) => {
    fpr[k] = fp / negatives.length;
    tpr[k] = tp / positives.length;
    thresholds[k] = threshold;
    k++;
  });
  return { fpr: fpr.slice(0, k), tpr: tpr.slice(0, k), thresholds: thresholds.slice(0, k) };
}

/**
 * Pixel-level ROC AUC: every pixel of every map is one sample, labelled by its mask (nonzero = defect).
 * Equals sklearn.metrics.roc_auc_score(masks.ravel() != 0, maps.ravel()). `maps` is a Maps tensor
 * [N, H, W] or a list of per-image maps; `masks` is N * H * W bytes or one Uint8Array per image.
 *
 * Memory: one float32 per pixel (the scores split into two sorted copies), nothing per pixel beyond that,
 * so 200 maps of 224 x 224 (10M pixels) need about 40 MB.
 *
 * Throws PadimError: SHAPE_MISMATCH (maps and masks disagree), NON_FINITE (NaN or infinite score),
 * INSUFFICIENT_SAMPLES (no map, or no defect pixel, or no normal pixel).
 */
export function pixelAuroc(maps: PixelMapSet, masks: MaskSet): number {
  const images = pixelImages('pixelAuroc', maps, masks);
  const { defects, total } = countDefects(images);
  assertBothClasses('pixelAuroc', defects, total - defects);
  const positives = new Float32Array(defects);
  const negatives = new Float32Array(total - defects);
  let p = 0;
  let q = 0;
  for (const { map, mask } of images) {
    for (let i = 0; i < map.length; i++) {
      if (mask[i] !== 0) positives[p++] = map[i];
      else negatives[q++] = map[i];
    }
  }
  positives.sort();
  negatives.sort();
  return aucOfSorted(positives, negatives);
}
