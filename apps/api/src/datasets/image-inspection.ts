import { createHash } from 'node:crypto';
import {
  IMAGE_MIME_TYPES,
  IMAGE_SNIFF_BYTES,
  describeUnsupportedImage,
  sniffImageFormat,
  type ImageFormat,
} from '@padim/core';
import sharp, { type Metadata } from 'sharp';

/**
 * Image formats the platform accepts, told apart by their magic bytes (never by name or type):
 * @padim/core's sniffer, the same one the inference preprocessing decodes with.
 */
export type { ImageFormat };

export const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = IMAGE_MIME_TYPES;

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

/** DIB header sizes of OS/2 2.x BMPs: a BMP to the sniffer, but the decoder cannot read it. */
const OS2_BMP_DIB_SIZES: ReadonlySet<number> = new Set([16, 64]);

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
  if (OS2_BMP_DIB_SIZES.has(dib)) {
    throw new ImageRejectedError(
      ImageRejection.UNSUPPORTED_TYPE,
      'OS/2 2.x BMP is not supported; upload PNG',
    );
  }
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
 * Validates an uploaded image and describes it: the magic bytes of its header decide the format
 * (@padim/core's sniffImageFormat: PNG, JPEG, BMP, TIFF incl. BigTIFF, WebP); the pixel count comes
 * from the header before anything is decoded; then the whole image is decoded (streamed into a
 * small thumbnail, so memory stays bounded) to catch truncated or damaged data. Throws
 * ImageRejectedError with the reason.
 */
export async function validateImageUpload(
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
  const head = bytes.subarray(0, IMAGE_SNIFF_BYTES);
  const format = sniffImageFormat(head);
  if (format === null) {
    const known = describeUnsupportedImage(head);
    throw new ImageRejectedError(
      ImageRejection.UNSUPPORTED_TYPE,
      known === null
        ? 'not a PNG, JPEG, BMP, TIFF or WebP image (by its content)'
        : `${known} images are not supported; upload PNG, JPEG, BMP, TIFF or WebP`,
    );
  }
  let width: number;
  let height: number;
  if (format === 'bmp') {
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
