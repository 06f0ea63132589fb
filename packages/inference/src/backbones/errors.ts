/**
 * Typed errors of the backbone builders and the weights cache.
 *
 * Why not core's PadimError: its codes describe numeric input (shapes, NaNs, malformed bytes); a
 * backbone also fails for reasons core has no words for (a key missing from a state_dict, a download
 * that cannot reach the network, a checksum mismatch). Callers (CLI, worker, API) switch on `code`,
 * never on messages. Malformed safetensors bytes still surface as core's PadimError
 * (MALFORMED_DATA / UNSUPPORTED_FORMAT) from `decodeSafetensors`.
 */
export enum BackboneErrorCode {
  /** An argument is outside its documented domain (unknown architecture, bad layer list, seed). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** A weight the architecture needs is absent (the message and `key` name it). */
  MISSING_WEIGHT = 'MISSING_WEIGHT',
  /** A weight exists but has the wrong shape (the message and `key` name it). */
  WEIGHT_SHAPE_MISMATCH = 'WEIGHT_SHAPE_MISMATCH',
  /** A weight is stored in a dtype other than F32, F16, BF16 (or F64). */
  UNSUPPORTED_WEIGHT_DTYPE = 'UNSUPPORTED_WEIGHT_DTYPE',
  /**
   * Pretrained weights are neither cached nor downloadable (offline, DNS failure, connection refused,
   * HTTP error). The message names the file, the URL and the exact path where to put the file.
   */
  WEIGHTS_UNAVAILABLE = 'WEIGHTS_UNAVAILABLE',
  /** A downloaded file's sha256 differs from the pinned one (the partial file is deleted). */
  CHECKSUM_MISMATCH = 'CHECKSUM_MISMATCH',
}

export interface BackboneErrorDetails {
  /** The state_dict key concerned. */
  readonly key?: string;
  /** The URL concerned (downloads). */
  readonly url?: string;
  /** The local file path concerned (cache). */
  readonly path?: string;
}

export class BackboneError extends Error {
  override readonly name = 'BackboneError';

  constructor(
    readonly code: BackboneErrorCode,
    message: string,
    readonly details: BackboneErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
