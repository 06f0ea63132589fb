import { PadimError, PadimErrorCode } from '@padim/core';
import { decodeNative } from './decode.js';
import { preprocessGeometry, type GeometryOptions, type Normalization } from './options.js';

export interface MaskOptions extends GeometryOptions {
  /** Ignored: accepted so that an image's PreprocessOptions can be passed as they are. */
  readonly normalization?: Normalization;
  /**
   * A pixel is a defect when any colour channel exceeds threshold x full scale (255, or 65535 for
   * 16-bit files). Default 0: nonzero = defect. Alpha is ignored.
   */
  readonly threshold?: number;
}

/**
 * A ground-truth mask with exactly the geometry of preprocessImage: decoded (orientation applied),
 * binarised at the file's own bit depth (a 16-bit value of 1 counts), resized to R x R by nearest
 * neighbour with pixel-centre alignment (source index floor((i + 0.5) * in / R), as PIL's NEAREST;
 * the bicubic image resize uses the same centre convention), then cropped like the image.
 * Returns S x S bytes, row-major, each 0 or 1. The mask may have a different size than its image:
 * both are mapped onto the same R x R grid.
 */
export async function preprocessMask(
  bytes: Uint8Array,
  options: MaskOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const geometry = preprocessGeometry(options);
  const threshold = options.threshold ?? 0;
  if (!(threshold >= 0 && threshold < 1)) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `mask threshold must be in [0, 1), got ${threshold}`,
    );
  }
  const decoded = await decodeNative(bytes, options);
  const { width: w, height: h, data } = decoded;
  const limit = Math.floor(threshold * (decoded.original.bitDepth === 16 ? 65535 : 255));
  const { size: s, resizeSize: r, offset: o } = geometry;

  const xs = new Int32Array(s);
  for (let x = 0; x < s; x++)
    xs[x] = Math.min(w - 1, Math.floor(((2 * (x + o) + 1) * w) / (2 * r)));
  const out = new Uint8Array(s * s);
  for (let y = 0; y < s; y++) {
    const sy = Math.min(h - 1, Math.floor(((2 * (y + o) + 1) * h) / (2 * r)));
    const row = sy * w;
    for (let x = 0; x < s; x++) {
      const p = (row + xs[x]!) * 3;
      out[y * s + x] = data[p]! > limit || data[p + 1]! > limit || data[p + 2]! > limit ? 1 : 0;
    }
  }
  return out;
}
