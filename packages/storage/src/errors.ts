/**
 * Typed errors of the object store. Every backend (S3 through `minio`, the filesystem store, the
 * presigned-URL route) throws only `ObjectStoreError`, never a raw client or `fs` error, so callers
 * (API, worker) switch on `code` and map it to their own vocabulary without parsing messages.
 */
export enum ObjectStoreErrorCode {
  /** The object does not exist (get, getStream, a presigned GET of a missing key). */
  NOT_FOUND = 'NOT_FOUND',
  /** A key or prefix breaks the key grammar (empty part, '..', leading '/', bad characters, ...). */
  INVALID_KEY = 'INVALID_KEY',
  /** An argument other than the key is outside its domain (expiry, metadata, content type, ...). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** A stream delivered a different number of bytes than the size announced for it. */
  SIZE_MISMATCH = 'SIZE_MISMATCH',
  /** A body is larger than allowed (a presigned PUT's maxBytes). */
  TOO_LARGE = 'TOO_LARGE',
  /** The key lies outside the caller's tenant, the credentials are refused, or a signature is wrong. */
  FORBIDDEN = 'FORBIDDEN',
  /** A presigned URL whose expiry has passed. */
  EXPIRED = 'EXPIRED',
  /** The backend cannot be reached or is failing (connection refused, 5xx, store root gone). */
  UNAVAILABLE = 'UNAVAILABLE',
  /** Anything else the backend reported; the original error is the `cause`. */
  INTERNAL = 'INTERNAL',
}

export interface ObjectStoreErrorDetails {
  /** The key or prefix concerned. */
  readonly key?: string;
  /** The backend's own error code (S3 `NoSuchKey`, errno `ENOENT`, ...), for logs only. */
  readonly backendCode?: string;
}

export class ObjectStoreError extends Error {
  override readonly name = 'ObjectStoreError';

  constructor(
    readonly code: ObjectStoreErrorCode,
    message: string,
    readonly details: ObjectStoreErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is an ObjectStoreError, optionally with the given code. */
export function isObjectStoreError(
  err: unknown,
  code?: ObjectStoreErrorCode,
): err is ObjectStoreError {
  return err instanceof ObjectStoreError && (code === undefined || err.code === code);
}
