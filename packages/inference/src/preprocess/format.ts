import {
  IMAGE_FORMATS,
  describeUnsupportedImage,
  sniffImageFormat as sniffFormat,
  type ImageFormat,
} from '@padim/core';
import { ImageError, ImageErrorCode } from './errors.js';

/** Image formats the preprocessing reads: @padim/core's, which the API's upload validator accepts. */
export type { ImageFormat };

export const SUPPORTED_IMAGE_FORMATS: readonly ImageFormat[] = IMAGE_FORMATS;

/**
 * Recognises the format from the magic bytes (never from a file name), with @padim/core's sniffer
 * (BigTIFF included). Returns undefined when the bytes are not one of the supported formats; see
 * `requireImageFormat` for a typed error that names known unsupported formats.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  return sniffFormat(bytes) ?? undefined;
}

/**
 * The format of `bytes`, or a typed error: EMPTY_INPUT for zero bytes, UNSUPPORTED_FORMAT for
 * anything that is not PNG, JPEG, BMP, TIFF or WebP by its magic bytes.
 */
export function requireImageFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) {
    throw new ImageError(ImageErrorCode.EMPTY_INPUT, 'Image input is empty (0 bytes)');
  }
  const format = sniffFormat(bytes);
  if (format !== null) return format;
  const known = describeUnsupportedImage(bytes);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ImageError(
    ImageErrorCode.UNSUPPORTED_FORMAT,
    `${known === null ? 'Unrecognised image format' : `${known} images are not supported`} ` +
      `(${bytes.length} bytes, starting ${head}); supported: PNG, JPEG, BMP, TIFF, WebP`,
  );
}
