import { Transform, type TransformCallback } from 'node:stream';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import type { ObjectBody, PresignPutOptions, PutOptions, SizedStream } from './object-store.js';

/** S3's limit for presigned URLs (SigV4): 7 days. Applied to every backend alike. */
export const MAX_PRESIGN_EXPIRY_SECONDS = 7 * 24 * 3600;
/** S3's limit for a single PUT; larger objects would need multipart, which s3rver lacks. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;
/** S3 caps user metadata at 2 KiB (keys and values together). */
export const MAX_METADATA_BYTES = 2048;

const CONTENT_TYPE_PATTERN = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;[\x20-\x7e]*)?$/;
const METADATA_KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const METADATA_VALUE_PATTERN = /^[\x20-\x7e]*$/;
// Names `minio` sends as plain headers rather than x-amz-meta-*: refused so metadata stays metadata.
const RESERVED_METADATA_KEYS = new Set([
  'content-type',
  'cache-control',
  'content-encoding',
  'content-disposition',
  'content-language',
]);

function invalidArgument(message: string, key?: string): ObjectStoreError {
  return new ObjectStoreError(
    ObjectStoreErrorCode.INVALID_ARGUMENT,
    message,
    key === undefined ? {} : { key },
  );
}

export function assertContentType(contentType: string, key?: string): void {
  if (
    typeof contentType !== 'string' ||
    contentType.length > 255 ||
    !CONTENT_TYPE_PATTERN.test(contentType)
  ) {
    throw invalidArgument(`invalid content type ${JSON.stringify(contentType)}`, key);
  }
}

/** Validates the options of `put` (content type, metadata keys, values and total size). */
export function assertPutOptions(options: PutOptions, key: string): void {
  assertContentType(options.contentType, key);
  let bytes = 0;
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    if (
      !METADATA_KEY_PATTERN.test(name) ||
      RESERVED_METADATA_KEYS.has(name) ||
      name.startsWith('x-amz-')
    ) {
      throw invalidArgument(`invalid metadata key ${JSON.stringify(name)}`, key);
    }
    if (typeof value !== 'string' || !METADATA_VALUE_PATTERN.test(value)) {
      throw invalidArgument(`metadata ${name}: value must be printable ASCII`, key);
    }
    bytes += name.length + value.length;
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw invalidArgument(`metadata larger than ${MAX_METADATA_BYTES} bytes`, key);
  }
}

export function assertExpiry(expiresSeconds: number): void {
  if (
    !Number.isInteger(expiresSeconds) ||
    expiresSeconds < 1 ||
    expiresSeconds > MAX_PRESIGN_EXPIRY_SECONDS
  ) {
    throw invalidArgument(
      `expiresSeconds must be an integer in [1, ${MAX_PRESIGN_EXPIRY_SECONDS}], got ${expiresSeconds}`,
    );
  }
}

export function assertPresignPutOptions(options: PresignPutOptions): void {
  if (options.contentType !== undefined) assertContentType(options.contentType);
  if (
    options.maxBytes !== undefined &&
    (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0)
  ) {
    throw invalidArgument(`maxBytes must be a non-negative integer, got ${options.maxBytes}`);
  }
}

export function isSizedStream(body: ObjectBody): body is SizedStream {
  return !(body instanceof Uint8Array);
}

/** The declared size of a body, validated (a non-negative integer up to the single-PUT limit). */
export function bodySize(body: ObjectBody, key: string): number {
  const size = isSizedStream(body) ? body.size : body.byteLength;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw invalidArgument(`body size must be a non-negative integer, got ${size}`, key);
  }
  if (size > MAX_SINGLE_PUT_BYTES) {
    throw new ObjectStoreError(
      ObjectStoreErrorCode.TOO_LARGE,
      `body of ${size} bytes exceeds the single-PUT limit of ${MAX_SINGLE_PUT_BYTES}`,
      { key },
    );
  }
  return size;
}

/**
 * A pass-through that fails with SIZE_MISMATCH as soon as more than `size` bytes arrive, or at the
 * end if fewer did: a stream that lies about its size must never be stored truncated or padded.
 */
export class SizeGuard extends Transform {
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly key: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.size) {
      callback(this.mismatch('more'));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.seen === this.size ? null : this.mismatch('fewer'));
  }

  private mismatch(which: string): ObjectStoreError {
    return new ObjectStoreError(
      ObjectStoreErrorCode.SIZE_MISMATCH,
      `stream for ${this.key} yielded ${which} bytes than its declared size ${this.size}`,
      { key: this.key },
    );
  }
}
