import { PadimError, PadimErrorCode, assertInteger } from '@padim/core';
import sharp from 'sharp';
import { decodeImage, type ImageInfo } from './decode.js';
import { ImageError } from './errors.js';
import {
  cropRegionInOriginal,
  normalizationTables,
  preprocessGeometry,
  type GeometryOptions,
  type Normalization,
  type PreprocessGeometry,
  type PreprocessOptions,
} from './options.js';

/** A model input: CHW float32 [3, S, S], normalised. */
export interface PreprocessedImage {
  /** Channel planes R, G, B, each S x S row-major. */
  readonly data: Float32Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
  readonly original: ImageInfo;
  readonly geometry: PreprocessGeometry;
  /** The part of the original (oriented) image the model sees, in original pixels. */
  readonly region: { left: number; top: number; width: number; height: number };
}

export interface BatchOptions extends PreprocessOptions {
  /** Images decoded at the same time (sharp runs on the libuv pool); default 4. */
  readonly concurrency?: number;
}

/** Resized (R x R) 8-bit RGB plus what produced it. */
interface Resized {
  readonly rgb: Uint8Array;
  readonly geometry: PreprocessGeometry;
  readonly original: ImageInfo;
}

/**
 * Stage 2 of every path: resize interleaved 8-bit RGB to R x R, ignoring the aspect ratio, with
 * libvips' 'cubic' kernel (Catmull-Rom, a = -0.5, widened when reducing: anti-aliased like PIL's
 * BICUBIC, not PyTorch's tensor bicubic with a = -0.75). libvips' vips_resize uses its default
 * reducing gap of 2.0 (as Pillow's `reducing_gap=2.0`, which torchvision does not set): an axis
 * reduced 4x or more is first box-averaged by an integer factor, leaving at least 2x for the cubic
 * kernel (1130 -> 256: box 2, then cubic 2.2). Enlarged axes use libvips' bicubic interpolator.
 * The input is raw pixels, so JPEG shrink-on-load never applies and the result does not depend on
 * the file format. A same-size input is passed through untouched. Deterministic for a given
 * libvips build.
 */
async function resizeRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
): Promise<Uint8Array> {
  if (width === size && height === size) return rgb;
  const out = await sharp(rgb, { raw: { width, height, channels: 3 }, limitInputPixels: false })
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

async function decodeAndResize(bytes: Uint8Array, options: GeometryOptions): Promise<Resized> {
  const geometry = preprocessGeometry(options);
  const decoded = await decodeImage(bytes, options);
  try {
    const rgb = await resizeRgb(decoded.data, decoded.width, decoded.height, geometry.resizeSize);
    return { rgb, geometry, original: decoded.original };
  } catch (e) {
    // The pixels are already decoded: a failure here is not the input's fault.
    if (e instanceof ImageError) throw e;
    throw new Error(`resizing a decoded ${decoded.width} x ${decoded.height} image failed`, {
      cause: e,
    });
  }
}

/**
 * Writes the crop of an R x R interleaved RGB image as normalised CHW planes into `out` at `offset`.
 */
function writeChw(
  rgb: Uint8Array,
  geometry: PreprocessGeometry,
  tables: readonly [Float32Array, Float32Array, Float32Array],
  out: Float32Array,
  offset: number,
): void {
  const { size: s, resizeSize: r, offset: o } = geometry;
  const plane = s * s;
  const [tr, tg, tb] = tables;
  for (let y = 0; y < s; y++) {
    let src = ((y + o) * r + o) * 3;
    let dst = offset + y * s;
    for (let x = 0; x < s; x++, src += 3, dst++) {
      out[dst] = tr[rgb[src]!]!;
      out[dst + plane] = tg[rgb[src + 1]!]!;
      out[dst + 2 * plane] = tb[rgb[src + 2]!]!;
    }
  }
}

function cropRgb(rgb: Uint8Array, geometry: PreprocessGeometry): Uint8Array<ArrayBuffer> {
  const { size: s, resizeSize: r, offset: o } = geometry;
  const out = new Uint8Array(s * s * 3);
  for (let y = 0; y < s; y++) {
    const src = ((y + o) * r + o) * 3;
    out.set(rgb.subarray(src, src + s * 3), y * s * 3);
  }
  return out;
}

/**
 * The model input of one image: decode (any supported format, orientation applied, 8-bit RGB),
 * resize to R x R (bicubic, aspect ratio ignored), center-crop S x S (mvtec) or not (stc), normalise,
 * CHW float32. The same function serves training and inference: that, not bit-equality with PIL,
 * is what makes the statistics valid for the images scored later.
 */
export async function preprocessImage(
  bytes: Uint8Array,
  options: PreprocessOptions,
): Promise<PreprocessedImage> {
  const tables = normalizationTables(options.normalization);
  const { rgb, geometry, original } = await decodeAndResize(bytes, options);
  const s = geometry.size;
  const data = new Float32Array(3 * s * s);
  writeChw(rgb, geometry, tables, data, 0);
  return {
    data,
    width: s,
    height: s,
    original,
    geometry,
    region: cropRegionInOriginal(geometry, original.width, original.height),
  };
}

/**
 * The exact 8-bit pixels the model sees before normalisation: interleaved RGB, S x S, row-major (for
 * previews and heatmap overlays that must line up with the anomaly map).
 */
export async function preprocessedRgb(
  bytes: Uint8Array,
  options: GeometryOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { rgb, geometry } = await decodeAndResize(bytes, options);
  return cropRgb(rgb, geometry);
}

/**
 * Normalises an S x S interleaved RGB image (as returned by preprocessedRgb) to CHW float32: the
 * same numbers preprocessImage produces for the same bytes.
 */
export function rgbToTensor(
  rgb: Uint8Array,
  size: number,
  normalization: Normalization,
): Float32Array<ArrayBuffer> {
  if (rgb.length !== size * size * 3) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `rgbToTensor: expected ${size} x ${size} x 3 = ${size * size * 3} bytes, got ${rgb.length}`,
    );
  }
  const out = new Float32Array(3 * size * size);
  writeChw(
    rgb,
    { protocol: 'stc', resizeSize: size, size, offset: 0 },
    normalizationTables(normalization),
    out,
    0,
  );
  return out;
}

/**
 * Preprocesses a batch into one float32 tensor [B, 3, S, S] (B = images.length), decoding at most
 * `concurrency` images at a time. The first failure stops the batch: its ImageError is rethrown with
 * the same code, the image's position in `index` and in the message, and the original as `cause`.
 */
export async function preprocessBatch(
  images: readonly Uint8Array[],
  options: BatchOptions,
): Promise<Float32Array<ArrayBuffer>> {
  const geometry = preprocessGeometry(options);
  const tables = normalizationTables(options.normalization);
  const concurrency = options.concurrency ?? 4;
  assertInteger('concurrency', concurrency, 1);
  const s = geometry.size;
  const stride = 3 * s * s;
  const out = new Float32Array(images.length * stride);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < images.length) {
      const i = next++;
      try {
        const { rgb } = await decodeAndResize(images[i]!, options);
        writeChw(rgb, geometry, tables, out, i * stride);
      } catch (e) {
        failure ??=
          e instanceof ImageError
            ? new ImageError(e.code, `image ${i} of ${images.length}: ${e.message}`, {
                cause: e,
                index: i,
              })
            : e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
  if (failure !== undefined) throw failure;
  return out;
}
