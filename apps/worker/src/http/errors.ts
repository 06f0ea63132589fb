/** The inference service's error vocabulary and its one mapping to HTTP statuses. */
import { ImageErrorCode } from '@padim/inference';

export enum InferenceHttpErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The API key's role may not INSPECT (the same permission GraphQL's inspectImage needs). */
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  /** The product model has no active version and none was named. */
  NO_ACTIVE_VERSION = 'NO_ACTIVE_VERSION',
  MODEL_VERSION_NOT_READY = 'MODEL_VERSION_NOT_READY',
  /** A READY version whose artifacts cannot be loaded (missing, unreadable, store down). */
  MODEL_UNAVAILABLE = 'MODEL_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Every code a response can carry: the service's own and preprocess's ImageErrorCode. */
export type PredictErrorCode = InferenceHttpErrorCode | ImageErrorCode;

export class InferenceHttpError extends Error {
  override readonly name = 'InferenceHttpError';

  constructor(
    readonly code: PredictErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The one mapping from error codes to HTTP statuses. */
export function inferenceHttpStatus(code: PredictErrorCode): number {
  switch (code) {
    case InferenceHttpErrorCode.BAD_REQUEST:
      return 400;
    case InferenceHttpErrorCode.UNAUTHENTICATED:
      return 401;
    case InferenceHttpErrorCode.FORBIDDEN:
      return 403;
    case InferenceHttpErrorCode.NOT_FOUND:
    case InferenceHttpErrorCode.PRODUCT_MODEL_NOT_FOUND:
    case InferenceHttpErrorCode.MODEL_VERSION_NOT_FOUND:
      return 404;
    case InferenceHttpErrorCode.METHOD_NOT_ALLOWED:
      return 405;
    case InferenceHttpErrorCode.NO_ACTIVE_VERSION:
    case InferenceHttpErrorCode.MODEL_VERSION_NOT_READY:
      return 409;
    case InferenceHttpErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case InferenceHttpErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ImageErrorCode.CORRUPT_IMAGE:
    case ImageErrorCode.UNSUPPORTED_FORMAT:
    case ImageErrorCode.IMAGE_TOO_LARGE:
    case ImageErrorCode.EMPTY_INPUT:
      return 422;
    case InferenceHttpErrorCode.MODEL_UNAVAILABLE:
      return 503;
    case InferenceHttpErrorCode.INTERNAL_SERVER_ERROR:
      return 500;
    default: {
      const unknown: never = code;
      throw new Error(`no HTTP status for error code ${String(unknown)}`);
    }
  }
}

export function unauthenticated(message: string): InferenceHttpError {
  return new InferenceHttpError(InferenceHttpErrorCode.UNAUTHENTICATED, message, {
    'www-authenticate': 'Bearer',
  });
}

export function tooLarge(max: number): InferenceHttpError {
  return new InferenceHttpError(
    InferenceHttpErrorCode.PAYLOAD_TOO_LARGE,
    `the image is larger than the limit of ${max} bytes`,
  );
}

export function internalError(): InferenceHttpError {
  return new InferenceHttpError(
    InferenceHttpErrorCode.INTERNAL_SERVER_ERROR,
    'internal server error',
  );
}
