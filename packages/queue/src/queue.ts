/**
 * The job-queue interface shared by `BullMqQueue` (Redis, several worker processes on several
 * machines) and `InProcessQueue` (the embedded mode). Named queues carry JSON payloads; a handler
 * returns a JSON result. Both implementations pass the same contract suite (test/helpers/contract.ts).
 */
import { QueueError, QueueErrorCode } from './errors.js';

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/** waiting covers delayed jobs, jobs waiting for a retry's backoff and prioritized jobs. */
export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface EnqueueOptions {
  /**
   * Idempotency key: while a job with this id exists (waiting, active, or finished and not yet
   * expired: see the retention options), enqueueing it again creates nothing and answers
   * `deduplicated: true`. Omitted: a random UUID. `[A-Za-z0-9._-]`, 1..200 characters, not only digits.
   */
  readonly jobId?: string;
  /** Handler runs that may fail (throw) before the job fails. Default 3. A stall (worker died) is not counted here. */
  readonly attempts?: number;
  /** Exponential backoff base: retry n (1-based) waits backoffMs * 2^(n-1). Default 1000. */
  readonly backoffMs?: number;
  /**
   * 1..2_097_151, lower runs first; jobs without a priority run before prioritized ones
   * (BullMQ's rule, followed by both implementations).
   */
  readonly priority?: number;
  /** Not run before this many milliseconds have passed. */
  readonly delayMs?: number;
}

export interface EnqueueResult {
  readonly id: string;
  /** True when a job with this jobId already existed and nothing was created. */
  readonly deduplicated: boolean;
}

export interface JobContext<P extends JsonValue = JsonValue> {
  readonly id: string;
  readonly queue: string;
  readonly payload: P;
  /** 1 on the first run; every run counts, including one that follows a stall (worker died). */
  readonly attempt: number;
  /** Aborted when the job is cancelled (see `cancel`); the job then ends `cancelled` whatever the handler returns. */
  readonly signal: AbortSignal;
  /** Stores the job's progress (readable by getJob) and emits a `progress` event. */
  progress(value: JsonValue): Promise<void>;
}

export type JobHandler<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue> = (
  job: JobContext<P>,
) => Promise<R>;

export interface WorkerOptions {
  /** Jobs this worker runs at the same time. Default 1. */
  readonly concurrency?: number;
  /**
   * BullMQ: the job lock's duration (renewed every lockMs / 2 while the handler runs); a worker
   * that dies loses its jobs to the stalled-job check once it expires. Ignored by InProcessQueue.
   */
  readonly lockMs?: number;
}

export interface QueueWorker {
  readonly queue: string;
  /** Stops taking jobs and waits for the running handlers to settle. */
  close(): Promise<void>;
}

export interface JobInfo {
  readonly id: string;
  readonly queue: string;
  readonly state: JobState;
  readonly payload: JsonValue;
  /** Handler runs started so far (including runs cut short by a stall). */
  readonly attempts: number;
  /** The last value passed to `progress`, null before any. */
  readonly progress: JsonValue;
  /** Set when state is completed. */
  readonly result?: JsonValue;
  /** Set when state is failed: the last error's message. */
  readonly error?: string;
}

export type QueueEvent =
  | {
      readonly type: 'progress';
      readonly queue: string;
      readonly jobId: string;
      readonly progress: JsonValue;
    }
  | {
      readonly type: 'completed';
      readonly queue: string;
      readonly jobId: string;
      readonly result: JsonValue;
    }
  /** Emitted once, when the last attempt has failed (not on each failed attempt). */
  | {
      readonly type: 'failed';
      readonly queue: string;
      readonly jobId: string;
      readonly error: string;
    }
  | { readonly type: 'cancelled'; readonly queue: string; readonly jobId: string };

export type QueueEventListener = (event: QueueEvent) => void;

/** Removes the listener; further events are not delivered to it. */
export type Unsubscribe = () => void;

export interface JobQueue {
  enqueue<P extends JsonValue>(
    queue: string,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;
  worker<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue>(
    queue: string,
    handler: JobHandler<P, R>,
    options?: WorkerOptions,
  ): Promise<QueueWorker>;
  /** The job's state, or undefined when it is unknown (never enqueued or expired). */
  getJob(queue: string, id: string): Promise<JobInfo | undefined>;
  /**
   * A waiting job is removed (never runs); an active job's handler sees `signal.aborted` and the job
   * ends `cancelled` (no retry). True when the job is (or already was) cancelled, false when it had
   * already completed or failed. NOT_FOUND for an unknown job.
   */
  cancel(queue: string, id: string): Promise<boolean>;
  /**
   * Listens to progress/completed/failed/cancelled events of one queue (of every process, for
   * BullMQ). Events that happen after the returned promise resolves are delivered.
   */
  onEvent(queue: string, listener: QueueEventListener): Promise<Unsubscribe>;
  /** Closes workers (waiting for running handlers), listeners and connections. */
  close(): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;
export const MAX_PRIORITY = 2_097_151;
/** Finished (completed) jobs are kept, and their jobId stays taken, this long by default. */
export const DEFAULT_COMPLETED_RETENTION_MS = 24 * 3600 * 1000;
/** Failed and cancelled jobs are kept, and their jobId stays taken, this long by default. */
export const DEFAULT_FAILED_RETENTION_MS = 7 * 24 * 3600 * 1000;

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const JOB_ID_PATTERN = /^[A-Za-z0-9._-]{1,200}$/;

export function assertQueueName(queue: string): void {
  if (typeof queue !== 'string' || !NAME_PATTERN.test(queue)) {
    throw new QueueError(
      QueueErrorCode.INVALID_ARGUMENT,
      `invalid queue name ${JSON.stringify(queue)}: [A-Za-z0-9._-], 1..100 characters`,
      { queue },
    );
  }
}

export function assertJobId(queue: string, id: string): void {
  if (typeof id !== 'string' || !JOB_ID_PATTERN.test(id) || /^\d+$/.test(id)) {
    throw new QueueError(
      QueueErrorCode.INVALID_ARGUMENT,
      `invalid job id ${JSON.stringify(id)}: [A-Za-z0-9._-], 1..200 characters, not only digits`,
      { queue, jobId: id },
    );
  }
}

function assertInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QueueError(
      QueueErrorCode.INVALID_ARGUMENT,
      `${name} must be an integer in ${min}..${max}, got ${String(value)}`,
    );
  }
}

export interface NormalizedEnqueueOptions {
  readonly jobId: string | undefined;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly priority: number;
  readonly delayMs: number;
}

export function normalizeEnqueueOptions(
  queue: string,
  options: EnqueueOptions = {},
): NormalizedEnqueueOptions {
  assertQueueName(queue);
  if (options.jobId !== undefined) assertJobId(queue, options.jobId);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const priority = options.priority ?? 0;
  const delayMs = options.delayMs ?? 0;
  assertInt('attempts', attempts, 1, 1000);
  assertInt('backoffMs', backoffMs, 0, 24 * 3600 * 1000);
  assertInt('priority', priority, 0, MAX_PRIORITY);
  assertInt('delayMs', delayMs, 0, 365 * 24 * 3600 * 1000);
  return { jobId: options.jobId, attempts, backoffMs, priority, delayMs };
}

export function normalizeWorkerOptions(options: WorkerOptions = {}): {
  concurrency: number;
  lockMs: number | undefined;
} {
  const concurrency = options.concurrency ?? 1;
  assertInt('concurrency', concurrency, 1, 1000);
  if (options.lockMs !== undefined) assertInt('lockMs', options.lockMs, 100, 24 * 3600 * 1000);
  return { concurrency, lockMs: options.lockMs };
}

/** A JSON deep copy of `value`; INVALID_ARGUMENT when it is not JSON (undefined, a function, a cycle, a bigint). */
export function toJson(value: unknown, what: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new QueueError(QueueErrorCode.INVALID_ARGUMENT, `${what} is not JSON: ${String(err)}`);
  }
  if (text === undefined) {
    throw new QueueError(QueueErrorCode.INVALID_ARGUMENT, `${what} is not JSON`);
  }
  return JSON.parse(text) as JsonValue;
}

/** The delay before retry `retry` (1-based): exponential, as BullMQ's 'exponential' backoff. */
export function backoffDelay(backoffMs: number, retry: number): number {
  return Math.round(backoffMs * 2 ** (retry - 1));
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
}
