/**
 * Per-Region Overlap (PRO) curve and its normalised area AUPRO, as the MVTec AD evaluation scripts compute
 * them (compute_pro in pro_curve_util.py, trapezoid in generic_util.py, evaluate_experiment.py).
 */
import { PRO_FPR_LIMIT } from '../constants.js';
import { PadimError, PadimErrorCode } from '../errors.js';
import { labelInto } from './components.js';
import { countDefects, pixelImages } from './pixels.js';
import type { MapSet, MaskSet } from './pixels.js';
import { TrapezoidAccumulator } from './trapezoid.js';

/** The PRO curve: false-positive rate against per-region overlap, one point per distinct score. */
export interface ProCurve {
  /** Nondecreasing from 0 to 1. */
  readonly fpr: Float64Array;
  /** Mean over ground-truth regions of the fraction of the region above the threshold, from 0 to 1. */
  readonly pro: Float64Array;
}

/** The pixel data of a test set arranged for the PRO walk; memory is a few bytes per pixel. */
interface ProData {
  /** Scores of the normal (mask 0) pixels, ascending. */
  readonly normals: Float32Array;
  /** Distinct scores of the defect pixels, ascending. */
  readonly defectScores: Float32Array;
  /** PRO mass at each distinct defect score: the sum over its pixels of 1 / (size of their region). */
  readonly proMass: Float64Array;
  readonly regionCount: number;
}

function prepare(what: string, maps: MapSet, masks: MaskSet): ProData {
  const images = pixelImages(what, maps, masks);
  const { defects, total } = countDefects(images);
  const normalCount = total - defects;

  const normals = new Float32Array(normalCount);
  const scores = new Float32Array(defects);
  const regionOf = new Uint32Array(defects);
  const regionWeight: number[] = [];
  let maxPixels = 0;
  for (const image of images) maxPixels = Math.max(maxPixels, image.map.length);
  const labels = new Int32Array(maxPixels);
  const queue = new Int32Array(maxPixels);
  const stats: number[] = [];
  let o = 0;
  let d = 0;
  images.forEach((image, i) => {
    if (image.shape === undefined) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `${what}: maps[${i}] is a flat array; PRO needs [H, W] maps (a Maps tensor or Map2D list)`,
      );
    }
    const [h, w] = image.shape;
    // Ground-truth regions: 8-connected components, as scipy.ndimage.label(gt, np.ones((3, 3))).
    const count = labelInto(image.mask, h, w, 8, labels, queue, stats);
    const base = regionWeight.length;
    for (let k = 0; k < count; k++) regionWeight.push(1 / stats[5 * k]);
    const { map } = image;
    for (let p = 0; p < map.length; p++) {
      const label = labels[p];
      if (label === 0) normals[o++] = map[p];
      else {
        scores[d] = map[p];
        regionOf[d++] = base + label - 1;
      }
    }
  });
  if (normalCount === 0 || regionWeight.length === 0) {
    throw new PadimError(
      PadimErrorCode.INSUFFICIENT_SAMPLES,
      `${what}: needs normal pixels and defect regions, got ${normalCount} normal pixels and ` +
        `${regionWeight.length} regions`,
    );
  }
  normals.sort();

  // Distinct defect scores (ascending) and the PRO mass each carries; a binary search finds each pixel's
  // slot, so no per-pixel index array has to be sorted.
  const sorted = scores.slice().sort();
  let u = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (u === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i];
  }
  const defectScores = sorted.subarray(0, u);
  const proMass = new Float64Array(u);
  for (let i = 0; i < defects; i++) {
    const s = scores[i];
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (defectScores[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    proMass[lo] += regionWeight[regionOf[i]];
  }
  return { normals, defectScores, proMass, regionCount: regionWeight.length };
}

/**
 * Visits the PRO curve's points between its two end points (0, 0) and (1, 1): thresholds go down through
 * every distinct score of the test set, and each point counts all pixels with score >= threshold (the
 * reference's "keep the last index of each run of equal scores"). Stops early when `visit` returns false.
 */
function walk(data: ProData, visit: (fpr: number, pro: number) => boolean): void {
  const { normals, defectScores, proMass, regionCount } = data;
  let i = normals.length - 1;
  let j = defectScores.length - 1;
  let fp = 0;
  let mass = 0;
  while (i >= 0 || j >= 0) {
    const a = i >= 0 ? normals[i] : -Infinity;
    const b = j >= 0 ? defectScores[j] : -Infinity;
    const v = a > b ? a : b;
    while (i >= 0 && normals[i] === v) {
      fp++;
      i--;
    }
    if (j >= 0 && defectScores[j] === v) mass += proMass[j--];
    // Exact count ratio in float64 (the reference rounds the FPR to float32, a difference below 1e-7),
    // clipped at 1 against accumulated rounding like the reference.
    if (!visit(Math.min(fp / normals.length, 1), Math.min(mass / regionCount, 1))) return;
  }
}

/**
 * PRO curve of anomaly `maps` against ground-truth `masks` (nonzero = defect), as compute_pro() of the
 * MVTec AD evaluation code: the ground-truth regions are the 8-connected components of each mask; the
 * normal pixels of all images form the false-positive pool; walking the scores downwards, the FPR is the
 * fraction of normal pixels at or above the threshold and the PRO is the mean over all regions of the
 * fraction of the region at or above it. One point per distinct score, framed by (0, 0) and (1, 1) (so
 * the last point repeats (1, 1), as in the reference).
 *
 * The FPR is exact in float64 where the reference rounds it to float32 (differences below 1e-7). Memory is
 * a few bytes per pixel plus the curve itself (up to one point per distinct score); aupro does not store
 * the curve.
 *
 * Throws PadimError: SHAPE_MISMATCH (maps and masks disagree), NON_FINITE (NaN or infinite score),
 * INVALID_ARGUMENT (a flat map without [H, W]), INSUFFICIENT_SAMPLES (no map, no normal pixel, or no
 * defect region).
 */
export function proCurve(maps: MapSet, masks: MaskSet): ProCurve {
  const data = prepare('proCurve', maps, masks);
  let points = 2;
  walk(data, () => {
    points++;
    return true;
  });
  const fpr = new Float64Array(points);
  const pro = new Float64Array(points);
  let k = 1;
  walk(data, (x, y) => {
    fpr[k] = x;
    pro[k] = y;
    k++;
    return true;
  });
  fpr[k] = 1;
  pro[k] = 1;
  return { fpr, pro };
}

/**
 * Area under the PRO curve up to `fprLimit` (default PRO_FPR_LIMIT = 0.3), divided by `fprLimit`, so a
 * perfect map scores 1: trapezoid(fprs, pros, x_max=fprLimit) / fprLimit of the MVTec AD evaluation code,
 * with the curve interpolated linearly at the limit. Same inputs and errors as proCurve, plus
 * INVALID_ARGUMENT when fprLimit is not in (0, 1].
 */
export function aupro(maps: MapSet, masks: MaskSet, fprLimit: number = PRO_FPR_LIMIT): number {
  if (!(fprLimit > 0 && fprLimit <= 1)) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `aupro: fprLimit must be in (0, 1], got ${fprLimit}`,
    );
  }
  const data = prepare('aupro', maps, masks);
  const acc = new TrapezoidAccumulator(fprLimit);
  acc.add(0, 0);
  let open = true;
  walk(data, (x, y) => (open = acc.add(x, y)));
  if (open) acc.add(1, 1);
  return acc.area() / fprLimit;
}
