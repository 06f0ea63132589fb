import { BICUBIC_A } from './constants.js';
import { PadimError, PadimErrorCode, assertInteger } from './errors.js';
import { expectRank, type Maps } from './tensor.js';

/** Interpolation modes of {@link resizeMaps}, named as in PyTorch's F.interpolate. */
export type ResizeMode = 'bilinear' | 'bicubic';

const RESIZE_MODES: readonly string[] = ['bilinear', 'bicubic'];

/**
 * A 1-D linear resampling operator from `inSize` samples to `outSize` samples, stored as a table:
 * `out[i] = sum_k weight[i * taps + k] * in[index[i * taps + k]]` for k < taps.
 * Indices are already clamped into [0, inSize - 1], so applying it needs no bounds logic. The same
 * tables describe the resize as two matrices (rows, cols): out = R_rows * map * R_cols^T.
 */
export interface SamplingTable {
  readonly inSize: number;
  readonly outSize: number;
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

/** Throws INVALID_ARGUMENT unless `mode` is 'bilinear' or 'bicubic'. */
export function assertResizeMode(what: string, mode: unknown): asserts mode is ResizeMode {
  if (typeof mode !== 'string' || !RESIZE_MODES.includes(mode)) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `${what}: unknown resize mode ${String(mode)} (expected 'bilinear' or 'bicubic')`,
    );
  }
}

/**
 * PyTorch's source coordinate for align_corners=False (area_pixel_compute_source_index):
 * (dst + 0.5) * (in / out) - 0.5. Linear modes clamp negative coordinates to 0; cubic does not.
 */
function sourceCoordinate(dst: number, scale: number, clampNegative: boolean): number {
  const src = (dst + 0.5) * scale - 0.5;
  return clampNegative && src < 0 ? 0 : src;
}

function clampIndex(i: number, size: number): number {
  return i < 0 ? 0 : i > size - 1 ? size - 1 : i;
}

/** Keys' cubic convolution kernel for |x| <= 1 (PyTorch's cubic_convolution1). */
function cubicNear(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}

/** Keys' cubic convolution kernel for 1 < |x| < 2 (PyTorch's cubic_convolution2). */
function cubicFar(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/**
 * The 1-D table of F.interpolate(mode, align_corners=False, antialias=False) from `inSize` to `outSize`.
 * bilinear: 2 taps at floor(src) and floor(src) + 1 (the latter clamped), src clamped to >= 0.
 * bicubic: 4 taps at floor(src) - 1 .. floor(src) + 2 with indices clamped to [0, inSize - 1], A = BICUBIC_A.
 */
export function resizeTable(inSize: number, outSize: number, mode: ResizeMode): SamplingTable {
  assertInteger('resizeTable: inSize', inSize, 1);
  assertInteger('resizeTable: outSize', outSize, 1);
  assertResizeMode('resizeTable', mode);
  const scale = inSize / outSize;
  const taps = mode === 'bilinear' ? 2 : 4;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const o = i * taps;
    if (mode === 'bilinear') {
      const src = sourceCoordinate(i, scale, true);
      const i0 = Math.floor(src);
      const t = src - i0;
      index[o] = i0;
      index[o + 1] = clampIndex(i0 + 1, inSize);
      weight[o] = 1 - t;
      weight[o + 1] = t;
    } else {
      const src = sourceCoordinate(i, scale, false);
      const i0 = Math.floor(src);
      const t = src - i0;
      const a = BICUBIC_A;
      const w = [cubicFar(t + 1, a), cubicNear(t, a), cubicNear(1 - t, a), cubicFar(2 - t, a)];
      for (let k = 0; k < 4; k++) {
        index[o + k] = clampIndex(i0 - 1 + k, inSize);
        weight[o + k] = w[k] as number;
      }
    }
  }
  return { inSize, outSize, taps, index, weight };
}

/**
 * Applies `rows` along axis 0 (H), then `cols` along axis 1 (W), to every row-major map of a [B, h, w]
 * batch; returns [B, rows.outSize, cols.outSize]. Accumulates in float64, including the intermediate.
 */
function applySeparable(maps: Maps, rows: SamplingTable, cols: SamplingTable): Maps {
  const [b, h, w] = maps.shape;
  const src = maps.data;
  const height = rows.outSize;
  const width = cols.outSize;
  const out = new Float32Array(b * height * width);
  const mid = new Float64Array(height * w);
  for (let i = 0; i < b; i++) {
    const srcOffset = i * h * w;
    // Axis 0: each intermediate row is a weighted sum of whole input rows (contiguous inner loop).
    mid.fill(0);
    for (let y = 0; y < height; y++) {
      for (let k = 0; k < rows.taps; k++) {
        const wk = rows.weight[y * rows.taps + k] as number;
        const base = srcOffset + (rows.index[y * rows.taps + k] as number) * w;
        for (let x = 0; x < w; x++)
          mid[y * w + x] = (mid[y * w + x] as number) + wk * (src[base + x] as number);
      }
    }
    // Axis 1: each output pixel is a weighted sum along its intermediate row.
    for (let y = 0; y < height; y++) {
      const outBase = i * height * width + y * width;
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = 0; k < cols.taps; k++) {
          const j = x * cols.taps + k;
          s += (cols.weight[j] as number) * (mid[y * w + (cols.index[j] as number)] as number);
        }
        out[outBase + x] = s;
      }
    }
  }
  return { data: out, shape: [b, height, width] as const };
}

/**
 * Resizes a batch of maps [B, h, w] -> [B, height, width] exactly as PyTorch's
 * `F.interpolate(x[:, None], size=(height, width), mode, align_corners=False)` (antialias=False, so
 * downsampling samples without low-pass filtering). The input is not modified. Coordinates and weights
 * are computed in float64; PyTorch computes them in float32, which moves its float32 output by up to
 * ~3e-6 relative from this (and from its own float64 result).
 */
export function resizeMaps(maps: Maps, height: number, width: number, mode: ResizeMode): Maps {
  expectRank('resizeMaps: maps', maps, 3);
  assertInteger('resizeMaps: height', height, 1);
  assertInteger('resizeMaps: width', width, 1);
  assertResizeMode('resizeMaps', mode);
  const [, h, w] = maps.shape;
  return applySeparable(maps, resizeTable(h, height, mode), resizeTable(w, width, mode));
}

/** {@link resizeMaps} for one row-major [h, w] map; returns a new [height, width] map. */
export function resizeMap(
  map: Float32Array,
  h: number,
  w: number,
  height: number,
  width: number,
  mode: ResizeMode,
): Float32Array {
  return resizeMaps({ data: map, shape: [1, h, w] }, height, width, mode).data;
}
