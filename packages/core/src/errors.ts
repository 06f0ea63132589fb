/**
 * Typed errors of the numeric core. Every failure that bad input can cause carries one of these codes,
 * so callers (CLI, worker, API) can map them to their own vocabulary without parsing messages.
 */
export enum PadimErrorCode {
  /** An argument is outside its documented domain (negative size, d larger than the channels, ...). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** Tensor data length or shape does not match what the operation expects. */
  SHAPE_MISMATCH = 'SHAPE_MISMATCH',
  /** NaN or +-Infinity where finite numbers are required. */
  NON_FINITE = 'NON_FINITE',
  /** Fewer samples than the statistic needs (the unbiased covariance needs N >= 2). */
  INSUFFICIENT_SAMPLES = 'INSUFFICIENT_SAMPLES',
  /** A matrix that must be symmetric positive definite is not (Cholesky failed). */
  NOT_POSITIVE_DEFINITE = 'NOT_POSITIVE_DEFINITE',
  /** Serialized bytes (safetensors, model statistics) are truncated or malformed. */
  MALFORMED_DATA = 'MALFORMED_DATA',
  /** Serialized data is well-formed but of a format or version this code does not read. */
  UNSUPPORTED_FORMAT = 'UNSUPPORTED_FORMAT',
}

export class PadimError extends Error {
  override readonly name = 'PadimError';

  constructor(
    readonly code: PadimErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws SHAPE_MISMATCH unless `actual === expected`. */
export function assertLength(what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `${what}: expected ${expected} elements, got ${actual}`,
    );
  }
}

/** Throws INVALID_ARGUMENT unless `value` is an integer in [min, max]. */
export function assertInteger(
  what: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `${what} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}

/** Throws NON_FINITE if any element of `data` is NaN or infinite; names the first offending index. */
export function assertFinite(what: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new PadimError(PadimErrorCode.NON_FINITE, `${what}: element ${i} is ${data[i]}`);
    }
  }
}
