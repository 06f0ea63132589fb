import { gaussianBlur } from './blur.js';
import { BLUR_SIGMA } from './constants.js';
import { assertInteger } from './errors.js';
import { assertResizeMode, resizeMaps, type ResizeMode } from './resize.js';
import { expectRank, type Maps } from './tensor.js';

export { gaussianBlur, gaussianKernel1d, reflectIndex } from './blur.js';
export { resizeMap, resizeMaps, type ResizeMode } from './resize.js';

export interface AnomalyMapOptions {
  /** Output height (the input image height, e.g. CROP_SIZE). */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** Upsampling mode; 'bicubic' as in the paper's reference code. */
  readonly resize?: ResizeMode;
  /** Standard deviation of the Gaussian blur, in output pixels; BLUR_SIGMA by default. */
  readonly sigma?: number;
}

/**
 * PaDiM's anomaly maps (Defard et al. 2020, Sec. 3.3): the patch distance maps [B, h, w] are upsampled to
 * [B, height, width] with F.interpolate(mode, align_corners=False), then each map is smoothed with
 * scipy.ndimage.gaussian_filter(sigma, truncate=BLUR_TRUNCATE). Resize first, then blur. Returns new maps.
 */
export function anomalyMaps(distances: Maps, options: AnomalyMapOptions): Maps {
  expectRank('anomalyMaps: distances', distances, 3);
  const { height, width, resize = 'bicubic', sigma = BLUR_SIGMA } = options;
  assertInteger('anomalyMaps: height', height, 1);
  assertInteger('anomalyMaps: width', width, 1);
  assertResizeMode('anomalyMaps', resize);
  return gaussianBlur(resizeMaps(distances, height, width, resize), sigma);
}

/**
 * Image-level anomaly scores: the maximum of each map [B, H, W] -> [B] (the paper's image score).
 * A map containing NaN scores NaN.
 */
export function imageScores(maps: Maps): Float32Array {
  expectRank('imageScores: maps', maps, 3);
  const [b, h, w] = maps.shape;
  const n = h * w;
  const scores = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    let best = -Infinity;
    for (let j = i * n; j < (i + 1) * n; j++) {
      const v = maps.data[j] as number;
      if (v > best) best = v;
      else if (Number.isNaN(v)) {
        best = NaN;
        break;
      }
    }
    scores[i] = best;
  }
  return scores;
}
