import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';

/** Image formats the platform accepts, told apart by their magic bytes (never by name or type). */
export enum ImageFormat {
  PNG = 'png',
  JPEG = 'jpeg',
  BMP = 'bmp',
  TIFF = 'tiff',
  WEBP = 'webp',
}

export const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  [ImageFormat.PNG]: 'image/png',
  [ImageFormat.JPEG]: 'image/jpeg',
  [ImageFormat.BMP]: 'image/bmp',
  [ImageFormat.TIFF]: 'image/tiff',
  [ImageFormat.WEBP]: 'image/webp',
};

export const ACCEPTED_CONTENT_TYPES: ReadonlySet<string> = new Set(Object.values(CONTENT_TYPES));

/** Why an uploaded file was refused; one per file, reported next to the other files' results. */
export enum ImageRejection {
  /** Not one of the accepted formats by its magic bytes (e.g. a text file named .png). */
  UNSUPPORTED_TYPE = 'UNSUPPORTED_TYPE',
  /** More bytes than IMAGE_MAX_BYTES (or the multipart limit). */
  TOO_LARGE = 'TOO_LARGE',
  /** More pixels than IMAGE_MAX_PIXELS, read from the header: a decompression bomb never decodes. */
  TOO_MANY_PIXELS = 'TOO_MANY_PIXELS',
  /** The header or the pixel data is damaged or truncated. */
  CORRUPT = 'CORRUPT',
  /** The same bytes (sha256) are already in the dataset; not stored twice. */
  DUPLICATE = 'DUPLICATE',
  /** No uploaded object under this key for this dataset (never uploaded, or not this dataset's). */
  NOT_FOUND = 'NOT_FOUND',
}

export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  constructor(
    readonly reason: ImageRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface ImageLimits {
  readonly maxBytes: number;
  readonly maxPixels: number;
}

export interface InspectedImage {
  readonly format: ImageFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** Lowercase hex sha256 of the bytes. */
  readonly sha256: string;
}

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const BM = [0x42, 0x4d];
/** BITMAPCOREHEADER, INFO, V2, V3, V4, V5 header sizes. */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 108, 124]);

/** The format by magic bytes, or null. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, PNG_MAGIC)) return ImageFormat.PNG;
  if (startsWith(bytes, JPEG_MAGIC)) return ImageFormat.JPEG;
  if (startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE)) return ImageFormat.TIFF;
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return ImageFormat.WEBP;
  if (startsWith(bytes, BM) && bytes.length >= 18) {
    const dib = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(14);
    if (BMP_DIB_SIZES.has(dib)) return ImageFormat.BMP;
  }
  return null;
}

const corrupt = (why: string) => new ImageRejectedError(ImageRejection.CORRUPT, why);

function checkPixels(width: number, height: number, limits: ImageLimits): void {
  if (width * height > limits.maxPixels) {
    throw new ImageRejectedError(
      ImageRejection.TOO_MANY_PIXELS,
      `${width}x${height} is more than ${limits.maxPixels} pixels`,
    );
  }
}

/**
 * BMP is parsed by hand (libvips in sharp has no BMP loader): uncompressed (BI_RGB / BITFIELDS)
 * only, and the pixel array must be all there.
 */
function inspectBmp(bytes: Buffer, limits: ImageLimits): { width: number; height: number } {
  if (bytes.length < 26) throw corrupt('BMP header is truncated');
  const dataOffset = bytes.readUInt32LE(10);
  const dib = bytes.readUInt32LE(14);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = 0;
  if (dib === 12) {
    width = bytes.readUInt16LE(18);
    height = bytes.readUInt16LE(20);
    bpp = bytes.readUInt16LE(24);
  } else {
    if (bytes.length < 34) throw corrupt('BMP header is truncated');
    width = bytes.readInt32LE(18);
    height = Math.abs(bytes.readInt32LE(22));
    bpp = bytes.readUInt16LE(28);
    compression = bytes.readUInt32LE(30);
  }
  if (width <= 0 || height <= 0) throw corrupt('BMP has no pixels');
  checkPixels(width, height, limits);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw corrupt(`BMP bit depth ${bpp} is invalid`);
  if (compression !== 0 && compression !== 3) {
    throw new ImageRejectedError(
      ImageRejection.UNSUPPORTED_TYPE,
      'compressed BMP is not supported; upload PNG',
    );
  }
  const rowBytes = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) throw corrupt('BMP pixel data is truncated');
  return { width, height };
}

/**
 * Checks an uploaded file and describes it: magic bytes decide the format; the pixel count comes
 * from the header before anything is decoded; then the whole image is decoded (streamed into a
 * small thumbnail, so memory stays bounded) to catch truncated or damaged data.
 */
export async function inspectImage(
  input: Uint8Array,
  limits: ImageLimits,
): Promise<InspectedImage> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > limits.maxBytes) {
    throw new ImageRejectedError(
      ImageRejection.TOO_LARGE,
      `${bytes.length} bytes is more than the limit of ${limits.maxBytes}`,
    );
  }
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new ImageRejectedError(
      ImageRejection.UNSUPPORTED_TYPE,
      'not a PNG, JPEG, BMP, TIFF or WebP image (by its content)',
    );
  }
  let width: number;
  let height: number;
  if (format === ImageFormat.BMP) {
    ({ width, height } = inspectBmp(bytes, limits));
  } else {
    let meta: Metadata;
    try {
      // Header only: no pixel is decoded here.
      meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      throw corrupt(`the ${format.toUpperCase()} header cannot be read`);
    }
    if (meta.format !== format || !meta.width || !meta.height) {
      throw corrupt(`the ${format.toUpperCase()} header is invalid`);
    }
    width = meta.width;
    height = meta.height;
    checkPixels(width, height, limits);
    try {
      await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' })
        .resize(64, 64, { fit: 'inside' })
        .raw()
        .toBuffer();
    } catch {
      throw corrupt(`the ${format.toUpperCase()} data is damaged or truncated`);
    }
  }
  return {
    format,
    contentType: CONTENT_TYPES[format],
    width,
    height,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
