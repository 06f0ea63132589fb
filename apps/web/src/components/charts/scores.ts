/**
 * Score statistics behind the threshold charts. Every rate here counts the scores the platform
 * flags at t, by its one rule (`isFlagged` from @padim/core: score > t).
 * Pure functions: inputs are never mutated.
 */
import { isFlagged } from '@padim/core/decision';

export interface RocPoint {
  /** False-positive rate: share of normal scores > threshold. */
  readonly fpr: number;
  /** True-positive rate (recall): share of defect scores > threshold. */
  readonly tpr: number;
  readonly threshold: number;
}

export interface Histogram {
  /** counts.length + 1 ascending bin edges; the last bin includes its right edge. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export function sortedCopy(scores: readonly number[]): number[] {
  return [...scores].sort((a, b) => a - b);
}

/** How many of `sorted` (ascending) are flagged at t, by binary search. */
export function countAbove(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isFlagged(sorted[mid]!, t)) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

/** Share of `sorted` strictly above t; null for an empty list (no rate is known). */
export function rateAbove(sorted: readonly number[], t: number): number | null {
  return sorted.length === 0 ? null : countAbove(sorted, t) / sorted.length;
}

/**
 * The ROC curve of "flagged iff score > t", swept over every distinct score from the highest
 * (nothing flagged: (0, 0)) to below the lowest (everything flagged: (1, 1)).
 */
export function rocCurve(normals: readonly number[], defects: readonly number[]): RocPoint[] {
  if (normals.length === 0 || defects.length === 0) return [];
  const n = sortedCopy(normals);
  const d = sortedCopy(defects);
  const distinct = [...new Set([...n, ...d])].sort((a, b) => b - a);
  const points: RocPoint[] = distinct.map((t) => ({
    fpr: countAbove(n, t) / n.length,
    tpr: countAbove(d, t) / d.length,
    threshold: t,
  }));
  points.push({ fpr: 1, tpr: 1, threshold: distinct[distinct.length - 1]! - 1 });
  return points;
}

/** Area under a ROC curve by the trapezoid rule (ties give the diagonal segment: AUROC with ties). */
export function rocArea(points: readonly RocPoint[]): number | null {
  if (points.length < 2) return null;
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    area += (b.fpr - a.fpr) * (a.tpr + b.tpr) * 0.5;
  }
  return area;
}

/** `bins` equal-width edges over [lo, hi] (hi > lo). */
export function binEdges(lo: number, hi: number, bins: number): number[] {
  const width = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
}

/** Counts of `scores` in the bins of `edges`; scores outside [first, last] edge are left out. */
export function binCounts(scores: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(bins, 0)).fill(0);
  if (bins < 1) return counts;
  const lo = edges[0]!;
  const hi = edges[bins]!;
  for (const s of scores) {
    if (s < lo || s > hi) continue;
    // Binary search for the bin: edges need not be equal-width (a stored histogram).
    let a = 0;
    let b = bins - 1;
    while (a < b) {
      const mid = (a + b + 1) >>> 1;
      if (edges[mid]! <= s) a = mid;
      else b = mid - 1;
    }
    counts[a] = counts[a]! + 1;
  }
  return counts;
}

/** Round-number axis ticks covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
