/**
 * Pixel-level inputs of the localisation metrics: anomaly maps of a test set and their ground-truth masks.
 */
import { PadimError, PadimErrorCode, assertFinite, assertLength } from '../errors.js';
import { expectRank } from '../tensor.js';
import type { Maps, Tensor } from '../tensor.js';

/** One anomaly map [H, W], row-major. */
export type Map2D = Tensor<readonly [number, number]>;

/**
 * Anomaly maps of N images: a Maps tensor [N, H, W], or a list of [H, W] maps (the sizes may differ from
 * image to image). Metrics that need the image geometry (connected regions for PRO) take this type.
 */
export type MapSet = Maps | readonly Map2D[];

/** Like MapSet, and also a plain list of flat maps (one Float32Array per image) where geometry is not needed. */
export type PixelMapSet = MapSet | readonly Float32Array[];

/**
 * Ground-truth masks matching a map set: one Uint8Array of all N images concatenated (N * H * W, the layout
 * of a [N, H, W] tensor), or one Uint8Array per image. 0 is normal; any nonzero value is a defect.
 */
export type MaskSet = Uint8Array | readonly Uint8Array[];

/** One image of a validated map set: views (subarrays) of the caller's data, never copies. */
export interface PixelImage {
  readonly map: Float32Array;
  readonly mask: Uint8Array;
  /** [H, W] when the input carries it, undefined for a flat Float32Array map. */
  readonly shape: readonly [number, number] | undefined;
}

function isTensor(maps: PixelMapSet): maps is Maps {
  return !Array.isArray(maps);
}

/**
 * Validates maps against masks (counts and lengths: SHAPE_MISMATCH; NaN or infinite scores: NON_FINITE;
 * no image: INSUFFICIENT_SAMPLES) and returns per-image views.
 */
export function pixelImages(what: string, maps: PixelMapSet, masks: MaskSet): PixelImage[] {
  const images: { map: Float32Array; shape: readonly [number, number] | undefined }[] = [];
  if (isTensor(maps)) {
    expectRank(`${what}: maps`, maps, 3);
    const [n, h, w] = maps.shape;
    for (let i = 0; i < n; i++) {
      images.push({ map: maps.data.subarray(i * h * w, (i + 1) * h * w), shape: [h, w] });
    }
  } else {
    if (maps.length === 0) {
      throw new PadimError(PadimErrorCode.INSUFFICIENT_SAMPLES, `${what}: no maps`);
    }
    maps.forEach((m: Float32Array | Map2D, i: number) => {
      if (m instanceof Float32Array) {
        images.push({ map: m, shape: undefined });
      } else {
        expectRank(`${what}: maps[${i}]`, m, 2);
        images.push({ map: m.data, shape: [m.shape[0], m.shape[1]] });
      }
    });
  }

  const out: PixelImage[] = [];
  if (masks instanceof Uint8Array) {
    let total = 0;
    for (const image of images) total += image.map.length;
    assertLength(`${what}: masks`, masks.length, total);
    let offset = 0;
    for (const image of images) {
      out.push({ ...image, mask: masks.subarray(offset, offset + image.map.length) });
      offset += image.map.length;
    }
  } else {
    if (masks.length !== images.length) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `${what}: ${images.length} maps but ${masks.length} masks`,
      );
    }
    images.forEach((image, i) => {
      const mask = masks[i];
      assertLength(`${what}: masks[${i}]`, mask.length, image.map.length);
      out.push({ ...image, mask });
    });
  }
  out.forEach((image, i) => assertFinite(`${what}: maps[${i}]`, image.map));
  return out;
}

/** Number of defect (nonzero) mask pixels and of all pixels. */
export function countDefects(images: readonly PixelImage[]): { defects: number; total: number } {
  let defects = 0;
  let total = 0;
  for (const { mask } of images) {
    for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) defects++;
    total += mask.length;
  }
  return { defects, total };
}
