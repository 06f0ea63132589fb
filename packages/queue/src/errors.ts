/**
 * Typed errors of the job queue. Both implementations (BullMQ on Redis, the in-process queue) throw
 * only `QueueError`, never a raw Redis or BullMQ error, so callers switch on `code`.
 */
export enum QueueErrorCode {
  /** A queue name, job id, payload or option is outside its domain. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** The job does not exist (never enqueued, or its record has expired). */
  NOT_FOUND = 'NOT_FOUND',
  /** The queue (or the worker) has been closed. */
  CLOSED = 'CLOSED',
  /** The backend cannot be reached (Redis connection refused or lost). */
  UNAVAILABLE = 'UNAVAILABLE',
  /** Anything else the backend reported; the original error is the `cause`. */
  INTERNAL = 'INTERNAL',
}

export interface QueueErrorDetails {
  readonly queue?: string;
  readonly jobId?: string;
}

export class QueueError extends Error {
  override readonly name = 'QueueError';

  constructor(
    readonly code: QueueErrorCode,
    message: string,
    readonly details: QueueErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a QueueError, optionally with the given code. */
export function isQueueError(err: unknown, code?: QueueErrorCode): err is QueueError {
  return err instanceof QueueError && (code === undefined || err.code === code);
}

const UNAVAILABLE_PATTERN =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection is closed|connection.*closed|Stream isn't writeable/i;

/** Maps any error raised by a backend to a QueueError (QueueErrors pass through unchanged). */
export function toQueueError(err: unknown, details: QueueErrorDetails = {}): QueueError {
  if (err instanceof QueueError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = UNAVAILABLE_PATTERN.test(message)
    ? QueueErrorCode.UNAVAILABLE
    : QueueErrorCode.INTERNAL;
  return new QueueError(code, message, details, { cause: err });
}

/**
 * Thrown by a job handler for a failure that no retry can fix (a malformed payload, bad data): the
 * job fails now, whatever attempts it has left, with this error's message. Both implementations
 * honour it. Recognised by a brand, not by class identity, so a handler bundled with another copy
 * of this module is understood too.
 */
export class FinalJobError extends Error {
  override readonly name: string = 'FinalJobError';
  readonly finalJob = true;
}

export function isFinalJobError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { finalJob?: unknown }).finalJob === true
  );
}
