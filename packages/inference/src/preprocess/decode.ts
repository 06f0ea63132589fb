import { assertInteger } from '@padim/core';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { decodeBmp, probeBmp } from './bmp.js';
import { ImageError, ImageErrorCode } from './errors.js';
import { requireImageFormat, type ImageFormat } from './format.js';

/** Default decompression-bomb guard: 64 megapixels (e.g. 8000 x 8000), checked before decoding. */
export const DEFAULT_MAX_INPUT_PIXELS = 64_000_000;

export interface DecodeOptions {
  /**
   * Largest accepted width x height of the stored image; larger inputs fail with IMAGE_TOO_LARGE
   * before any pixel is decoded (sharp's limitInputPixels plus a header check). Default 64 MP.
   */
  readonly maxInputPixels?: number;
}

/** Colour model of the stored image, before conversion to RGB. */
export type ImageColorSpace = 'rgb' | 'grey' | 'cmyk';

/** What the stored file was: reported with every decoded or preprocessed image. */
export interface ImageInfo {
  /** Sniffed from the magic bytes (never from a file name). */
  readonly format: ImageFormat;
  /** Size as displayed, i.e. after the EXIF orientation is applied. */
  readonly width: number;
  readonly height: number;
  /** EXIF orientation 1..8 of the file (1 when absent); already applied to the pixels. */
  readonly orientation: number;
  /** Bits per sample: 8 or 16 (BMP and paletted/1-bit images report 8). */
  readonly bitDepth: 8 | 16;
  /** Colour model of the file; always converted to RGB. */
  readonly colorSpace: ImageColorSpace;
  /** Samples per pixel in the file, alpha included (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA/CMYK, 5). */
  readonly channels: number;
  /** True when the file has an alpha channel; it is dropped, never composited. */
  readonly hasAlpha: boolean;
  /** Pages/frames in the file (multi-page TIFF, animated WebP); only the first is read. */
  readonly pages: number;
}

/** A decoded image: interleaved 8-bit RGB, row-major, top row first, orientation applied. */
export interface DecodedImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly original: ImageInfo;
}

const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  bmp: 'BMP',
  tiff: 'TIFF',
  webp: 'WebP',
};

function resolveMaxPixels(options: DecodeOptions | undefined): number {
  const max = options?.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  assertInteger('maxInputPixels', max, 1);
  return max;
}

function tooLarge(format: ImageFormat, width: number, height: number, max: number): ImageError {
  return new ImageError(
    ImageErrorCode.IMAGE_TOO_LARGE,
    `${FORMAT_NAMES[format]} image of ${width} x ${height} = ${width * height} pixels exceeds ` +
      `the limit of ${max} pixels (maxInputPixels)`,
  );
}

/** sharp/libvips messages are multi-line and repetitive: keep the first distinct lines as detail. */
function detailOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = [...new Set(text.split('\n').map((l) => l.trim()))].filter((l) => l !== '');
  const joined = lines.slice(0, 3).join('; ');
  return joined.length > 300 ? `${joined.slice(0, 300)}...` : joined;
}

/**
 * Maps an error thrown by sharp while reading bytes whose format was already recognised by its
 * magic bytes: a pixel-limit error is IMAGE_TOO_LARGE; anything else (libvips says "corrupt header",
 * "premature end", "unsupported image format" for a truncated TIFF, ...) is CORRUPT_IMAGE.
 */
function wrapSharpError(e: unknown, format: ImageFormat, bytes: number): ImageError {
  if (e instanceof ImageError) return e;
  const detail = detailOf(e);
  if (/pixel limit/i.test(detail)) {
    return new ImageError(
      ImageErrorCode.IMAGE_TOO_LARGE,
      `${FORMAT_NAMES[format]} image exceeds the pixel limit (maxInputPixels) [${detail}]`,
      { cause: e },
    );
  }
  return new ImageError(
    ImageErrorCode.CORRUPT_IMAGE,
    `${FORMAT_NAMES[format]} image (${bytes} bytes) is truncated or cannot be decoded [${detail}]`,
    { cause: e },
  );
}

/** Options of every sharp instance that reads user bytes. */
function readOptions(maxPixels: number): SharpOptions {
  return {
    // Apply the EXIF orientation (and drop the tag).
    autoOrient: true,
    // Fail on truncated or undecodable data; libjpeg/libpng *warnings* (e.g. stray bytes before a
    // marker, which PIL also accepts) are tolerated.
    failOn: 'error',
    limitInputPixels: maxPixels,
    // Pixel values as stored, like PIL's convert('RGB'): no colour management from an embedded
    // ICC profile. CMYK is converted with libvips' built-in CMYK profile.
    ignoreIcc: true,
    // First page/frame only.
    pages: 1,
  };
}

const SPACES: Record<string, ImageColorSpace> = {
  srgb: 'rgb',
  rgb: 'rgb',
  rgb16: 'rgb',
  'b-w': 'grey',
  grey16: 'grey',
  cmyk: 'cmyk',
};

function infoFromMetadata(format: ImageFormat, m: Metadata): ImageInfo {
  const colorSpace = SPACES[m.space];
  if (colorSpace === undefined) {
    throw new ImageError(
      ImageErrorCode.UNSUPPORTED_FORMAT,
      `${FORMAT_NAMES[format]} image in colour space '${m.space}' is not supported (RGB, grey, CMYK)`,
    );
  }
  if (m.depth !== 'uchar' && m.depth !== 'ushort') {
    throw new ImageError(
      ImageErrorCode.UNSUPPORTED_FORMAT,
      `${FORMAT_NAMES[format]} image with '${m.depth}' samples is not supported (8 or 16-bit integers)`,
    );
  }
  const oriented = m.autoOrient as { width?: number; height?: number } | undefined;
  return {
    format,
    width: oriented?.width ?? m.width,
    height: oriented?.height ?? m.height,
    orientation: m.orientation ?? 1,
    bitDepth: m.depth === 'ushort' ? 16 : 8,
    colorSpace,
    channels: m.channels,
    hasAlpha: m.hasAlpha,
    pages: m.pages ?? 1,
  };
}

/**
 * Reads format and size from the header only (nothing is decoded): EMPTY_INPUT,
 * UNSUPPORTED_FORMAT, IMAGE_TOO_LARGE or CORRUPT_IMAGE (an unreadable header) when it must.
 * Cheap enough to validate uploads.
 */
export async function probeImage(bytes: Uint8Array, options?: DecodeOptions): Promise<ImageInfo> {
  const maxPixels = resolveMaxPixels(options);
  const format = requireImageFormat(bytes);
  if (format === 'bmp') {
    const b = probeBmp(bytes);
    if (b.width * b.height > maxPixels) throw tooLarge(format, b.width, b.height, maxPixels);
    return {
      format,
      width: b.width,
      height: b.height,
      orientation: 1,
      bitDepth: 8,
      colorSpace: b.grey ? 'grey' : 'rgb',
      channels: b.hasAlpha ? 4 : 3,
      hasAlpha: b.hasAlpha,
      pages: 1,
    };
  }
  let m: Metadata;
  try {
    // Header only: no pixel is decoded here, so the limit is checked below with a clearer message.
    m = await sharp(bytes, { ...readOptions(maxPixels), limitInputPixels: false }).metadata();
  } catch (e) {
    throw wrapSharpError(e, format, bytes.length);
  }
  if (m.width * m.height > maxPixels) throw tooLarge(format, m.width, m.height, maxPixels);
  return infoFromMetadata(format, m);
}

/** Interleaved samples of a decoded image: 3 channels, 8 bits (or 16 for `decodeNative`). */
interface RawImage<T extends Uint8Array | Uint16Array> {
  readonly data: T;
  readonly width: number;
  readonly height: number;
  readonly original: ImageInfo;
}

/**
 * Decodes any supported image to 8-bit RGB at full resolution: EXIF orientation applied; grey
 * replicated to R=G=B; alpha dropped without compositing (as PIL's `convert('RGB')`); CMYK converted
 * through libvips' CMYK profile; 16-bit samples scaled to 8 bits as floor(v / 256), so a 16-bit file
 * made from an 8-bit one (v * 257) decodes to exactly the 8-bit values. Embedded ICC profiles are
 * ignored. This is the first stage of every path (training, inference, preview), so all formats and
 * bit depths reach the resize as the same 8-bit RGB pixels.
 */
export async function decodeImage(
  bytes: Uint8Array,
  options?: DecodeOptions,
): Promise<DecodedImage> {
  const maxPixels = resolveMaxPixels(options);
  return decode8(bytes, maxPixels, await probeImage(bytes, { maxInputPixels: maxPixels }));
}

async function decode8(
  bytes: Uint8Array,
  maxPixels: number,
  original: ImageInfo,
): Promise<DecodedImage> {
  if (original.format === 'bmp') {
    const b = decodeBmp(bytes, maxPixels);
    return { data: b.data, width: b.width, height: b.height, original };
  }
  try {
    const { data, info } = await sharp(bytes, readOptions(maxPixels))
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new Error(
        `decoder returned ${info.channels} channels of ${info.width} x ${info.height}`,
      );
    }
    return { data, width: info.width, height: info.height, original };
  } catch (e) {
    throw wrapSharpError(e, original.format, bytes.length);
  }
}

/**
 * Decodes at the file's own bit depth (8 or 16) to 3 interleaved channels, for masks: a 16-bit mask
 * value of 1 must stay nonzero, which the 8-bit path (floor(v / 256)) would not keep.
 */
export async function decodeNative(
  bytes: Uint8Array,
  options?: DecodeOptions,
): Promise<RawImage<Uint8Array> | RawImage<Uint16Array>> {
  const maxPixels = resolveMaxPixels(options);
  const original = await probeImage(bytes, { maxInputPixels: maxPixels });
  if (original.bitDepth === 8) return decode8(bytes, maxPixels, original);
  try {
    const { data, info } = await sharp(bytes, readOptions(maxPixels))
      .removeAlpha()
      .toColourspace('rgb16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 6) {
      throw new Error(
        `decoder returned ${info.channels} channels of ${info.width} x ${info.height}`,
      );
    }
    const samples = new Uint16Array(info.width * info.height * 3);
    new Uint8Array(samples.buffer).set(data);
    return { data: samples, width: info.width, height: info.height, original };
  } catch (e) {
    throw wrapSharpError(e, original.format, bytes.length);
  }
}
