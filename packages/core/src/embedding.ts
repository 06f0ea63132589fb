import { PadimError, PadimErrorCode } from './errors.js';
import type { FeatureMaps } from './tensor.js';
import { expectRank } from './tensor.js';

/**
 * Index of the source row/column for PyTorch's F.interpolate(mode='nearest') (and ONNX Resize with
 * coordinate_transformation_mode='asymmetric', nearest_mode='floor'): floor(dst * in / out), in
 * exact integer arithmetic.
 */
export function nearestSourceIndex(dst: number, inSize: number, outSize: number): number {
  return Math.min(Math.floor((dst * inSize) / outSize), inSize - 1);
}

/** Total channel count of the concatenated embedding (448 for ResNet18 layer1..3). */
export function embeddingChannels(levels: readonly FeatureMaps[]): number {
  return levels.reduce((sum, level) => sum + level.shape[1], 0);
}

/**
 * Patch embedding (paper, Sec. 3.1): every level [B, C_i, H_i, W_i] is upsampled to the first
 * level's grid [H_0, W_0] by nearest neighbour and the levels are concatenated along channels in
 * level order, giving [B, sum C_i, H_0, W_0]. With `indices` (sorted or not, distinct, each in
 * [0, sum C_i)), only those channels are produced, in the order given: [B, d, H_0, W_0]. Selecting
 * while gathering is equivalent to concatenating first and selecting after, without the full copy.
 */
export function embed(levels: readonly FeatureMaps[], indices?: ArrayLike<number>): FeatureMaps {
  if (levels.length === 0) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      'embed: at least one feature level is needed',
    );
  }
  levels.forEach((level, i) => expectRank(`embed: level ${i}`, level, 4));
  const [batch, , height, width] = levels[0]!.shape;
  for (let i = 1; i < levels.length; i++) {
    const [b] = levels[i]!.shape;
    if (b !== batch) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `embed: level ${i} has batch ${b}, level 0 has ${batch}`,
      );
    }
  }
  const total = embeddingChannels(levels);
  const channels = indices ? Array.from(indices) : Array.from({ length: total }, (_, c) => c);
  validateIndices(channels, total);

  // Map a global channel to (level, local channel).
  const levelOf = new Int32Array(total);
  const localOf = new Int32Array(total);
  let offset = 0;
  levels.forEach((level, l) => {
    for (let c = 0; c < level.shape[1]; c++) {
      levelOf[offset + c] = l;
      localOf[offset + c] = c;
    }
    offset += level.shape[1];
  });

  // Source row/column tables per level.
  const rowTables = levels.map((level) =>
    Int32Array.from({ length: height }, (_, y) => nearestSourceIndex(y, level.shape[2], height)),
  );
  const colTables = levels.map((level) =>
    Int32Array.from({ length: width }, (_, x) => nearestSourceIndex(x, level.shape[3], width)),
  );

  const d = channels.length;
  const plane = height * width;
  const out = new Float32Array(batch * d * plane);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < d; k++) {
      const g = channels[k]!;
      const l = levelOf[g]!;
      const level = levels[l]!;
      const [, cl, hl, wl] = level.shape;
      const src = level.data;
      const srcBase = (b * cl + localOf[g]!) * hl * wl;
      const dstBase = (b * d + k) * plane;
      const rows = rowTables[l]!;
      const cols = colTables[l]!;
      for (let y = 0; y < height; y++) {
        const srcRow = srcBase + rows[y]! * wl;
        const dstRow = dstBase + y * width;
        for (let x = 0; x < width; x++) out[dstRow + x] = src[srcRow + cols[x]!]!;
      }
    }
  }
  return { data: out, shape: [batch, d, height, width] };
}

function validateIndices(channels: readonly number[], total: number): void {
  if (channels.length === 0) {
    throw new PadimError(PadimErrorCode.INVALID_ARGUMENT, 'embed: the channel selection is empty');
  }
  const seen = new Uint8Array(total);
  for (const c of channels) {
    if (!Number.isInteger(c) || c < 0 || c >= total) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `embed: channel index ${c} is outside [0, ${total})`,
      );
    }
    if (seen[c]) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `embed: channel index ${c} appears twice`,
      );
    }
    seen[c] = 1;
  }
}
