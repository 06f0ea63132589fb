import {
  CROP_SIZE,
  IMAGENET_MEAN,
  IMAGENET_STD,
  PadimError,
  PadimErrorCode,
  RESIZE_SIZE,
  assertInteger,
  type Protocol,
} from '@padim/core';
import type { DecodeOptions } from './decode.js';

/**
 * Pixel normalisation applied to x = v / 255 per channel (R, G, B):
 * - imagenet: (x - IMAGENET_MEAN) / IMAGENET_STD, torchvision's pretrained models;
 * - meanStd: (x - mean) / std with the given [r, g, b] (same [0, 1] scale as torchvision);
 * - minusOneOne: v / 127.5 - 1 (TF/Keras-style models).
 */
export type Normalization =
  | { readonly kind: 'imagenet' }
  | {
      readonly kind: 'meanStd';
      readonly mean: readonly [number, number, number];
      readonly std: readonly [number, number, number];
    }
  | { readonly kind: 'minusOneOne' };

/** Geometry of the preprocessing: shared by images and masks (preprocessMask). */
export interface GeometryOptions extends DecodeOptions {
  /**
   * mvtec: resize to resizeSize x resizeSize ignoring the aspect ratio, then center-crop
   * cropSize x cropSize (the MVTec AD protocol of the paper). stc: resize only (output resizeSize).
   */
  readonly protocol: Protocol;
  /** Default RESIZE_SIZE (256). */
  readonly resizeSize?: number;
  /** Default CROP_SIZE (224); used by mvtec only; at most resizeSize. */
  readonly cropSize?: number;
}

export interface PreprocessOptions extends GeometryOptions {
  readonly normalization: Normalization;
}

/** Where the model input sits in the resized image and in the original one. */
export interface PreprocessGeometry {
  readonly protocol: Protocol;
  /** Side of the resized square image. */
  readonly resizeSize: number;
  /** Side S of the model input (cropSize for mvtec, resizeSize for stc). */
  readonly size: number;
  /** Top-left corner of the crop in the resized image (both axes; 16 for 256 -> 224). */
  readonly offset: number;
}

/** Python's round(): halves to even, as torchvision's CenterCrop computes its offset. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Validates the geometry options and computes the crop (torchvision CenterCrop offsets). */
export function preprocessGeometry(options: GeometryOptions): PreprocessGeometry {
  const { protocol } = options;
  if (protocol !== 'mvtec' && protocol !== 'stc') {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `protocol must be 'mvtec' or 'stc', got ${String(protocol)}`,
    );
  }
  const resizeSize = options.resizeSize ?? RESIZE_SIZE;
  assertInteger('resizeSize', resizeSize, 1, 16384);
  if (protocol === 'stc') return { protocol, resizeSize, size: resizeSize, offset: 0 };
  const cropSize = options.cropSize ?? CROP_SIZE;
  assertInteger('cropSize', cropSize, 1, resizeSize);
  return {
    protocol,
    resizeSize,
    size: cropSize,
    offset: roundHalfEven((resizeSize - cropSize) / 2),
  };
}

/**
 * The rectangle of the original (oriented) image that the model input covers, in original pixel
 * units: to place an anomaly map of the model input back onto the full image.
 */
export function cropRegionInOriginal(
  geometry: PreprocessGeometry,
  width: number,
  height: number,
): { left: number; top: number; width: number; height: number } {
  const sx = width / geometry.resizeSize;
  const sy = height / geometry.resizeSize;
  return {
    left: geometry.offset * sx,
    top: geometry.offset * sy,
    width: geometry.size * sx,
    height: geometry.size * sy,
  };
}

/**
 * One 256-entry float32 table per channel: table[c][v] = normalised value of 8-bit level v, computed
 * in float64 and rounded once to float32.
 */
export function normalizationTables(
  normalization: Normalization,
): readonly [Float32Array, Float32Array, Float32Array] {
  let mean: readonly number[];
  let std: readonly number[];
  switch (normalization.kind) {
    case 'imagenet':
      mean = IMAGENET_MEAN;
      std = IMAGENET_STD;
      break;
    case 'meanStd':
      mean = normalization.mean;
      std = normalization.std;
      if (mean.length !== 3 || std.length !== 3) {
        throw new PadimError(
          PadimErrorCode.INVALID_ARGUMENT,
          `meanStd normalization needs 3 means and 3 stds, got ${mean.length} and ${std.length}`,
        );
      }
      for (let c = 0; c < 3; c++) {
        if (!Number.isFinite(mean[c]) || !Number.isFinite(std[c]) || std[c] === 0) {
          throw new PadimError(
            PadimErrorCode.INVALID_ARGUMENT,
            `meanStd normalization needs finite means and finite nonzero stds, got mean ` +
              `[${mean.join(', ')}] std [${std.join(', ')}]`,
          );
        }
      }
      break;
    case 'minusOneOne': {
      const t = new Float32Array(256);
      for (let v = 0; v < 256; v++) t[v] = v / 127.5 - 1;
      return [t, t, t];
    }
    default: {
      const unknown: { kind?: unknown } = normalization;
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `unknown normalization kind ${String(unknown.kind)}`,
      );
    }
  }
  const tables = [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v / 255 - mean[c]!) / std[c]!;
    return t;
  });
  return [tables[0]!, tables[1]!, tables[2]!];
}
