import { BLUR_SIGMA, BLUR_TRUNCATE } from './constants.js';
import { PadimError, PadimErrorCode, assertInteger } from './errors.js';
import { expectRank, type Maps } from './tensor.js';

function assertBlurParameters(what: string, sigma: number, truncate: number): void {
  if (!Number.isFinite(sigma) || sigma <= 0) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `${what}: sigma must be finite and > 0, got ${sigma}`,
    );
  }
  if (!Number.isFinite(truncate) || truncate < 0) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `${what}: truncate must be finite and >= 0, got ${truncate}`,
    );
  }
}

/**
 * The 1-D Gaussian kernel of scipy.ndimage.gaussian_filter1d: radius r = int(truncate * sigma + 0.5),
 * taps 2r + 1 with weight exp(-x^2 / (2 sigma^2)) for x = -r..r, normalised to sum 1 (float64).
 * For sigma = BLUR_SIGMA = 4 and truncate = 4 this has 33 taps.
 */
export function gaussianKernel1d(
  sigma: number = BLUR_SIGMA,
  truncate: number = BLUR_TRUNCATE,
): Float64Array {
  assertBlurParameters('gaussianKernel1d', sigma, truncate);
  const radius = Math.floor(truncate * sigma + 0.5);
  assertInteger('gaussianKernel1d: radius', radius, 0, 1 << 20);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let x = -radius; x <= radius; x++) {
    const v = Math.exp((-0.5 / (sigma * sigma)) * (x * x));
    kernel[x + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/**
 * scipy.ndimage's mode 'reflect' (half-sample symmetric, d c b a | a b c d | d c b a): maps any integer
 * position to an index in [0, size - 1]. The extension is periodic with period 2 * size, so positions
 * further out than one map width reflect again, as scipy does for maps smaller than the kernel radius.
 */
export function reflectIndex(i: number, size: number): number {
  const period = 2 * size;
  const m = ((i % period) + period) % period;
  return m < size ? m : period - 1 - m;
}

/** For each position p of a line of length `size` padded by `radius` on both sides: reflectIndex(p - radius). */
function paddedIndex(size: number, radius: number): Int32Array {
  const index = new Int32Array(size + 2 * radius);
  for (let p = 0; p < index.length; p++) index[p] = reflectIndex(p - radius, size);
  return index;
}

/**
 * Gaussian blur of each map of a batch [B, H, W] -> [B, H, W], equal to
 * `scipy.ndimage.gaussian_filter(map, sigma, truncate=truncate)` (mode 'reflect') applied per map:
 * the 1-D {@link gaussianKernel1d} along axis 0, then along axis 1, with a float32 intermediate as scipy
 * has for float32 input. Like scipy's correlate1d, each output starts from the centre tap and adds the
 * symmetric pairs k[t] * (in[-t] + in[+t]) from the outermost in, in float64. The input is not modified.
 */
export function gaussianBlur(
  maps: Maps,
  sigma: number = BLUR_SIGMA,
  truncate: number = BLUR_TRUNCATE,
): Maps {
  expectRank('gaussianBlur: maps', maps, 3);
  assertBlurParameters('gaussianBlur', sigma, truncate);
  const kernel = gaussianKernel1d(sigma, truncate);
  const r = (kernel.length - 1) / 2;
  const centre = kernel[r] as number;
  const [b, h, w] = maps.shape;
  const src = maps.data;
  const out = new Float32Array(b * h * w);
  const rowOf = paddedIndex(h, r); // input row read by padded row position y + r + d, |d| <= r
  const colOf = paddedIndex(w, r);
  const acc = new Float64Array(w);
  const mid = new Float32Array(h * w);
  const line = new Float64Array(w + 2 * r);
  for (let i = 0; i < b; i++) {
    const offset = i * h * w;
    // Axis 0: output row y = centre * row(y) + sum_t k[t] * (row(y - r + t) + row(y + r - t)).
    for (let y = 0; y < h; y++) {
      const centreRow = offset + (rowOf[y + r] as number) * w;
      for (let x = 0; x < w; x++) acc[x] = centre * (src[centreRow + x] as number);
      for (let t = 0; t < r; t++) {
        const kt = kernel[t] as number;
        const above = offset + (rowOf[y + t] as number) * w;
        const below = offset + (rowOf[y + 2 * r - t] as number) * w;
        for (let x = 0; x < w; x++) {
          acc[x] =
            (acc[x] as number) + kt * ((src[above + x] as number) + (src[below + x] as number));
        }
      }
      mid.set(acc, y * w);
    }
    // Axis 1: copy each row into a reflected, padded line, then the same symmetric sum along it.
    for (let y = 0; y < h; y++) {
      for (let p = 0; p < line.length; p++) line[p] = mid[y * w + (colOf[p] as number)] as number;
      const outBase = offset + y * w;
      for (let x = 0; x < w; x++) {
        let s = centre * (line[x + r] as number);
        for (let t = 0; t < r; t++)
          s += (kernel[t] as number) * ((line[x + t] as number) + (line[x + 2 * r - t] as number));
        out[outBase + x] = s;
      }
    }
  }
  return { data: out, shape: [b, h, w] as const };
}
