/**
 * Connected components of binary masks (ground-truth defect regions, thresholded anomaly maps).
 */
import { isFlagged } from '../decision.js';
import {
  PadimError,
  PadimErrorCode,
  assertFinite,
  assertInteger,
  assertLength,
} from '../errors.js';

/** 4: edge neighbours only; 8: edge and corner neighbours (scipy.ndimage.label with ones((3, 3))). */
export type Connectivity = 4 | 8;

/** Axis-aligned bounding box in pixels: columns x .. x + width - 1, rows y .. y + height - 1. */
export interface RegionBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ComponentRegion {
  /** 1-based label, as in `labels`. */
  readonly label: number;
  /** Number of pixels. */
  readonly area: number;
  readonly box: RegionBox;
}

export interface Components {
  /** [H, W] row-major: 0 for background, 1..count for the components. */
  readonly labels: Int32Array;
  readonly count: number;
  /** regions[k] describes label k + 1. */
  readonly regions: ComponentRegion[];
}

/** A component of a thresholded anomaly map, with its strongest pixel. */
export interface MapRegion extends ComponentRegion {
  /** The highest score inside the region. */
  readonly peak: number;
  /** Where the peak is; the first such pixel in raster order when several share it. */
  readonly peakAt: { readonly x: number; readonly y: number };
}

export interface MapRegions {
  readonly labels: Int32Array;
  readonly count: number;
  readonly regions: MapRegion[];
}

function checkGeometry(
  what: string,
  length: number,
  height: number,
  width: number,
  connectivity: number,
): void {
  assertInteger(`${what}: height`, height, 1);
  assertInteger(`${what}: width`, width, 1);
  assertLength(what, length, height * width);
  if (connectivity !== 4 && connectivity !== 8) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `${what}: connectivity must be 4 or 8, got ${connectivity}`,
    );
  }
}

/**
 * Labels the nonzero pixels of `mask` [height * width] into `labels` (overwritten; same length) with an
 * explicit queue (`queue`, same length: no recursion, so any mask size is safe). Components are numbered
 * in raster order of their first pixel. Returns the count and, per component, five numbers in `stats`:
 * area, minX, minY, maxX, maxY. Internal: no validation.
 */
export function labelInto(
  mask: Uint8Array,
  height: number,
  width: number,
  connectivity: Connectivity,
  labels: Int32Array,
  queue: Int32Array,
  stats: number[],
): number {
  const n = height * width;
  labels.fill(0, 0, n);
  stats.length = 0;
  const diagonal = connectivity === 8;
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    queue[0] = start;
    let head = 0;
    let tail = 1;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (head < tail) {
      const p = queue[head++];
      const y = (p / width) | 0;
      const x = p - y * width;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const y0 = y > 0 ? y - 1 : y;
      const y1 = y < height - 1 ? y + 1 : y;
      const x0 = x > 0 ? x - 1 : x;
      const x1 = x < width - 1 ? x + 1 : x;
      for (let ny = y0; ny <= y1; ny++) {
        for (let nx = x0; nx <= x1; nx++) {
          if (!diagonal && ny !== y && nx !== x) continue;
          const q = ny * width + nx;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = count;
            queue[tail++] = q;
          }
        }
      }
    }
    stats.push(area, minX, minY, maxX, maxY);
  }
  return count;
}

function regionsOf(stats: readonly number[], count: number): ComponentRegion[] {
  const regions: ComponentRegion[] = [];
  for (let k = 0; k < count; k++) {
    const [area, minX, minY, maxX, maxY] = stats.slice(5 * k, 5 * k + 5) as [
      number,
      number,
      number,
      number,
      number,
    ];
    regions.push({
      label: k + 1,
      area,
      box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
    });
  }
  return regions;
}

/**
 * Connected components of the nonzero pixels of `mask` [height * width, row-major]. Labels are numbered
 * 1..count in raster-scan order of each component's first pixel, exactly like scipy.ndimage.label (with
 * structure ones((3, 3)) for connectivity 8, the default cross for 4); regions[k] gives the area and the
 * bounding box (scipy.ndimage.find_objects) of label k + 1. Iterative, so large masks cannot overflow the
 * stack.
 *
 * Throws PadimError: INVALID_ARGUMENT (height, width not positive integers, connectivity not 4 or 8),
 * SHAPE_MISMATCH (mask length is not height * width).
 */
export function connectedComponents(
  mask: Uint8Array,
  height: number,
  width: number,
  connectivity: Connectivity = 8,
): Components {
  checkGeometry('connectedComponents: mask', mask.length, height, width, connectivity);
  const labels = new Int32Array(height * width);
  const stats: number[] = [];
  const count = labelInto(
    mask,
    height,
    width,
    connectivity,
    labels,
    new Int32Array(height * width),
    stats,
  );
  return { labels, count, regions: regionsOf(stats, count) };
}

/**
 * Regions of an anomaly map: connected components of the flagged pixels, isFlagged(map[p], threshold)
 * (map > threshold, strictly), each with its area, bounding box and peak score and location. `map` is
 * [height * width, row-major]. Labels, numbering and connectivity as connectedComponents.
 *
 * Throws PadimError: as connectedComponents, plus NON_FINITE (NaN or infinite map value) and
 * INVALID_ARGUMENT (threshold is NaN).
 */
export function regionsFromMap(
  map: ArrayLike<number>,
  height: number,
  width: number,
  threshold: number,
  connectivity: Connectivity = 8,
): MapRegions {
  checkGeometry('regionsFromMap: map', map.length, height, width, connectivity);
  assertFinite('regionsFromMap: map', map);
  if (Number.isNaN(threshold)) {
    throw new PadimError(PadimErrorCode.INVALID_ARGUMENT, 'regionsFromMap: threshold is NaN');
  }
  const n = height * width;
  const foreground = new Uint8Array(n);
  for (let p = 0; p < n; p++) foreground[p] = isFlagged(map[p], threshold) ? 1 : 0;
  const labels = new Int32Array(n);
  const stats: number[] = [];
  const count = labelInto(
    foreground,
    height,
    width,
    connectivity,
    labels,
    new Int32Array(n),
    stats,
  );
  const peak = new Float64Array(count + 1).fill(-Infinity);
  const peakIndex = new Int32Array(count + 1);
  for (let p = 0; p < n; p++) {
    const label = labels[p];
    if (label !== 0 && map[p] > peak[label]) {
      peak[label] = map[p];
      peakIndex[label] = p;
    }
  }
  const regions = regionsOf(stats, count).map((region): MapRegion => {
    const at = peakIndex[region.label];
    return {
      ...region,
      peak: peak[region.label],
      peakAt: { x: at % width, y: Math.floor(at / width) },
    };
  });
  return { labels, count, regions };
}
