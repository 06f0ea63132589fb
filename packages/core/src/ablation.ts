import { nearestSourceIndex } from './embedding.js';
import { PadimError, PadimErrorCode, assertInteger } from './errors.js';
import type { Maps } from './tensor.js';
import { expectRank } from './tensor.js';

/**
 * The paper's Table I ablation "Layer 1+2+3": one Gaussian per level, fitted on that level alone at
 * its own grid, and their Mahalanobis maps summed (no inter-level correlation). Fitting a level at
 * its native grid and upsampling its distance map by nearest neighbour gives exactly the map of a
 * Gaussian fitted on the nearest-upsampled features (every copy of a vector has the same statistics),
 * at a fraction of the cost. Maps [B, h_i, w_i] -> [B, height, width].
 */
export function sumLevelMaps(levelMaps: readonly Maps[], height: number, width: number): Maps {
  if (levelMaps.length === 0) {
    throw new PadimError(PadimErrorCode.INVALID_ARGUMENT, 'sumLevelMaps: no maps');
  }
  assertInteger('height', height, 1);
  assertInteger('width', width, 1);
  levelMaps.forEach((m, i) => expectRank(`sumLevelMaps: level ${i}`, m, 3));
  const batch = levelMaps[0]!.shape[0];
  const out = new Float32Array(batch * height * width);
  for (const [i, map] of levelMaps.entries()) {
    const [b, h, w] = map.shape;
    if (b !== batch) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `sumLevelMaps: level ${i} has batch ${b}, not ${batch}`,
      );
    }
    const rows = Int32Array.from({ length: height }, (_, y) => nearestSourceIndex(y, h, height));
    const cols = Int32Array.from({ length: width }, (_, x) => nearestSourceIndex(x, w, width));
    for (let n = 0; n < batch; n++) {
      for (let y = 0; y < height; y++) {
        const src = n * h * w + rows[y]! * w;
        const dst = (n * height + y) * width;
        for (let x = 0; x < width; x++) out[dst + x] += map.data[src + cols[x]!]!;
      }
    }
  }
  return { data: out, shape: [batch, height, width] };
}
