/**
 * Typed errors of image decoding and preprocessing. Every failure that a bad input file can cause
 * carries one of these codes, so the worker, the CLI and the API can map it (to a rejected upload,
 * a skipped training image, a 4xx) without parsing messages. The underlying libvips/sharp error,
 * when there is one, is kept as `cause` and appended to the message as detail, never the only text.
 */
export enum ImageErrorCode {
  /** The bytes are not an image of a supported format (PNG, JPEG, BMP, TIFF, WebP), or use a
   * variant of it this runtime does not read (a 32-bit float TIFF, an RLE-compressed BMP, ...). */
  UNSUPPORTED_FORMAT = 'UNSUPPORTED_FORMAT',
  /** The format is recognised but the data is truncated or cannot be decoded. */
  CORRUPT_IMAGE = 'CORRUPT_IMAGE',
  /** width x height exceeds the pixel limit (decompression-bomb guard); nothing was decoded. */
  IMAGE_TOO_LARGE = 'IMAGE_TOO_LARGE',
  /** Zero bytes. */
  EMPTY_INPUT = 'EMPTY_INPUT',
}

export interface ImageErrorOptions {
  /** The underlying error (usually sharp's), kept for logs. */
  readonly cause?: unknown;
  /** Position of the failing image in a batch (preprocessBatch). */
  readonly index?: number;
}

export class ImageError extends Error {
  override readonly name = 'ImageError';
  /** Position of the failing image when it came from preprocessBatch. */
  readonly index: number | undefined;

  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options: ImageErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.index = options.index;
  }
}

/** True when `e` is an ImageError (optionally with the given code). */
export function isImageError(e: unknown, code?: ImageErrorCode): e is ImageError {
  return e instanceof ImageError && (code === undefined || e.code === code);
}
