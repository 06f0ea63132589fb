/**
 * The production queue: BullMQ 6 on Redis. Producers and workers in any number of processes on any
 * number of machines share the queues through Redis (same `prefix`).
 *
 * - Idempotency: the jobId is BullMQ's job id (an existing job with that id makes `add` a no-op).
 *   Each add carries a fresh nonce as the job's name; reading the stored name back tells whether this
 *   call created the job (`deduplicated: false`) or found one. Finished jobs are kept (and their id
 *   stays taken) for the retention periods (BullMQ removeOnComplete/removeOnFail by age).
 * - Stalls: a worker holds a lock per job (lockMs, renewed every lockMs / 2). When its process dies
 *   the lock expires; the stalled-job check that every worker runs each `stalledIntervalMs` moves
 *   the job back to waiting (at most `maxStalledCount` times, then it fails) and another worker runs
 *   it again (`attempt` + 1). A stall does not use up `attempts`.
 * - Cancellation: a marker key `{prefix}:{queue}:padim:cancelled:{id}` (kept for the failed
 *   retention) plus a pub/sub message on `{prefix}:padim:cancel`. A waiting job is removed; the
 *   worker running an active job aborts its handler's signal (on the message, or when it polls the
 *   marker) and fails the job with an UnrecoverableError whose reason marks it cancelled (no retry).
 *   A worker also checks the marker before it starts a handler.
 * - Events: BullMQ's QueueEvents (the queue's Redis stream), so listeners see every process's jobs.
 */
import { randomUUID } from 'node:crypto';

import {
  Job,
  Queue,
  QueueEvents,
  UnrecoverableError,
  Worker,
  type RedisOptions as BullRedisOptions,
} from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

import { QueueError, QueueErrorCode, isFinalJobError, toQueueError } from './errors.js';
import {
  DEFAULT_COMPLETED_RETENTION_MS,
  DEFAULT_FAILED_RETENTION_MS,
  assertJobId,
  assertQueueName,
  errorMessage,
  normalizeEnqueueOptions,
  normalizeWorkerOptions,
  toJson,
  type EnqueueOptions,
  type EnqueueResult,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JsonValue,
  type QueueEvent,
  type QueueEventListener,
  type QueueWorker,
  type Unsubscribe,
  type WorkerOptions,
} from './queue.js';

/** The failedReason of a job that ended cancelled. */
export const CANCELLED_REASON = 'padim-queue: job cancelled';

export interface BullMqQueueOptions {
  /** ioredis options ({ host, port, password, db, ... }) or a redis:// URL. */
  readonly connection: RedisOptions | string;
  /** Redis key prefix of every queue; processes that share queues use the same one. Default 'padim'. */
  readonly prefix?: string;
  /** Default job lock duration of this instance's workers (WorkerOptions.lockMs overrides). Default 30 000. */
  readonly lockMs?: number;
  /** How often each worker runs BullMQ's stalled-job check. Default 30 000 (tests: a few hundred ms). */
  readonly stalledIntervalMs?: number;
  /** Stalls (worker died) a job survives before it fails. Default 2. */
  readonly maxStalledCount?: number;
  /** How often a running job's worker checks the cancel marker (besides pub/sub). Default 1000. */
  readonly cancelPollMs?: number;
  /** How long completed jobs are kept (their jobId stays taken). Default 24 h. */
  readonly completedRetentionMs?: number;
  /** How long failed and cancelled jobs are kept (their jobId stays taken). Default 7 days. */
  readonly failedRetentionMs?: number;
  /** Background errors of BullMQ's clients (connection lost, lock renewal failed). Default console.error. */
  readonly onError?: (err: Error) => void;
}

type BullJob = Job<JsonValue, JsonValue, string>;
type BullQueue = Queue<JsonValue, JsonValue, string, JsonValue, JsonValue, string>;

interface ActiveRun {
  readonly controller: AbortController;
  cancelled: boolean;
}

interface CancelMarker {
  readonly payload: JsonValue;
  readonly attempts: number;
}

interface EventsEntry {
  readonly listeners: Set<QueueEventListener>;
  readonly ready: Promise<QueueEvents>;
}

export class BullMqQueue implements JobQueue {
  private readonly connection: RedisOptions;
  private readonly url: string | undefined;
  readonly prefix: string;
  private readonly lockMs: number;
  private readonly stalledIntervalMs: number;
  private readonly maxStalledCount: number;
  private readonly cancelPollMs: number;
  private readonly completedRetentionMs: number;
  private readonly failedRetentionMs: number;
  private readonly onError: (err: Error) => void;

  private readonly redis: Redis;
  private subscriber: Promise<Redis> | undefined;
  private readonly queues = new Map<string, BullQueue>();
  private readonly workers = new Set<Worker<JsonValue, JsonValue, string>>();
  private readonly events = new Map<string, EventsEntry>();
  private readonly active = new Map<string, Set<ActiveRun>>();
  private closed = false;

  constructor(options: BullMqQueueOptions) {
    if (typeof options.connection === 'string') {
      this.url = options.connection;
      this.connection = { maxRetriesPerRequest: null };
    } else {
      this.url = undefined;
      this.connection = { ...options.connection, maxRetriesPerRequest: null };
    }
    this.prefix = options.prefix ?? 'padim';
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(this.prefix)) {
      throw new QueueError(QueueErrorCode.INVALID_ARGUMENT, `invalid prefix ${this.prefix}`);
    }
    this.lockMs = options.lockMs ?? 30_000;
    this.stalledIntervalMs = options.stalledIntervalMs ?? 30_000;
    this.maxStalledCount = options.maxStalledCount ?? 2;
    this.cancelPollMs = options.cancelPollMs ?? 1000;
    this.completedRetentionMs = options.completedRetentionMs ?? DEFAULT_COMPLETED_RETENTION_MS;
    this.failedRetentionMs = options.failedRetentionMs ?? DEFAULT_FAILED_RETENTION_MS;
    this.onError =
      options.onError ?? ((err) => console.error(`[@padim/queue] ${err.message}`, err));
    this.redis = this.newRedis();
    this.redis.on('error', (err: Error) => this.onError(err));
  }

  async enqueue<P extends JsonValue>(
    queue: string,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    this.assertOpen();
    const opts = normalizeEnqueueOptions(queue, options);
    const data = toJson(payload, 'payload');
    const id = opts.jobId ?? randomUUID();
    try {
      if (opts.jobId !== undefined && (await this.redis.exists(this.cancelKey(queue, id))) === 1) {
        return { id, deduplicated: true };
      }
      const nonce = randomUUID();
      await this.queueFor(queue).add(nonce, data, {
        jobId: id,
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: opts.backoffMs },
        ...(opts.priority > 0 ? { priority: opts.priority } : {}),
        ...(opts.delayMs > 0 ? { delay: opts.delayMs } : {}),
        removeOnComplete: { age: Math.ceil(this.completedRetentionMs / 1000) },
        removeOnFail: { age: Math.ceil(this.failedRetentionMs / 1000) },
      });
      if (opts.jobId === undefined) return { id, deduplicated: false };
      const storedName = await this.redis.hget(this.jobKey(queue, id), 'name');
      return { id, deduplicated: storedName !== nonce };
    } catch (err) {
      throw toQueueError(err, { queue, jobId: id });
    }
  }

  async worker<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue>(
    queue: string,
    handler: JobHandler<P, R>,
    options?: WorkerOptions,
  ): Promise<QueueWorker> {
    this.assertOpen();
    assertQueueName(queue);
    const { concurrency, lockMs } = normalizeWorkerOptions(options);
    try {
      await this.ensureSubscriber();
      // BullMQ passes its own AbortSignal only to a processor declaring three parameters.
      const processor = async (
        job: BullJob,
        _token?: string,
        bullSignal?: AbortSignal,
      ): Promise<JsonValue> => this.process(queue, job, handler, bullSignal);
      const worker = new Worker<JsonValue, JsonValue, string>(queue, processor, {
        ...this.bullConnection(),
        prefix: this.prefix,
        concurrency,
        lockDuration: lockMs ?? this.lockMs,
        stalledInterval: this.stalledIntervalMs,
        maxStalledCount: this.maxStalledCount,
        autorun: true,
      });
      worker.on('error', (err) => this.onError(err));
      this.workers.add(worker);
      await worker.waitUntilReady();
      return {
        queue,
        close: async () => {
          this.workers.delete(worker);
          await worker.close();
        },
      };
    } catch (err) {
      throw toQueueError(err, { queue });
    }
  }

  async getJob(queue: string, id: string): Promise<JobInfo | undefined> {
    this.assertOpen();
    assertQueueName(queue);
    assertJobId(queue, id);
    try {
      // State first, then the hash: a job read while active and seen failed a moment later would
      // show an empty failedReason the other way round.
      const state = await this.queueFor(queue).getJobState(id);
      const job = state === 'unknown' ? undefined : await this.findJob(queue, id);
      if (!job) return this.cancelledInfo(queue, id);
      const base = {
        id,
        queue,
        payload: job.data,
        attempts: job.attemptsStarted ?? 0,
        progress: unwrapProgress(job.progress),
      };
      switch (state) {
        case 'active':
          return { ...base, state: 'active' };
        case 'completed':
          return { ...base, state: 'completed', result: job.returnvalue ?? null };
        case 'failed':
          return job.failedReason === CANCELLED_REASON
            ? { ...base, state: 'cancelled' }
            : { ...base, state: 'failed', error: job.failedReason ?? '' };
        default:
          return { ...base, state: 'waiting' };
      }
    } catch (err) {
      throw toQueueError(err, { queue, jobId: id });
    }
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    this.assertOpen();
    assertQueueName(queue);
    assertJobId(queue, id);
    const cancelKey = this.cancelKey(queue, id);
    try {
      const state = await this.queueFor(queue).getJobState(id);
      const job = state === 'unknown' ? undefined : await this.findJob(queue, id);
      if (!job || state === 'unknown') {
        if ((await this.redis.exists(cancelKey)) === 1) return true;
        throw new QueueError(QueueErrorCode.NOT_FOUND, `job ${id} not found in ${queue}`, {
          queue,
          jobId: id,
        });
      }
      if (state === 'completed') return false;
      if (state === 'failed') return job.failedReason === CANCELLED_REASON;
      const marker: CancelMarker = { payload: job.data, attempts: job.attemptsStarted ?? 0 };
      await this.redis.set(cancelKey, JSON.stringify(marker), 'PX', this.failedRetentionMs);
      let removed = false;
      if (state !== 'active') {
        try {
          await job.remove();
          removed = true;
        } catch {
          // Locked: a worker took it in the meantime; the message below reaches that worker.
        }
      }
      if (!removed) {
        await this.redis.publish(this.cancelChannel(), JSON.stringify({ queue, id }));
      }
      return true;
    } catch (err) {
      throw toQueueError(err, { queue, jobId: id });
    }
  }

  async onEvent(queue: string, listener: QueueEventListener): Promise<Unsubscribe> {
    this.assertOpen();
    assertQueueName(queue);
    let entry = this.events.get(queue);
    if (!entry) {
      const listeners = new Set<QueueEventListener>();
      entry = { listeners, ready: this.openEvents(queue, listeners) };
      this.events.set(queue, entry);
    }
    entry.listeners.add(listener);
    try {
      await entry.ready;
    } catch (err) {
      this.events.delete(queue);
      throw toQueueError(err, { queue });
    }
    const listeners = entry.listeners;
    return () => {
      listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Workers first: they wait for running handlers, which still need the cancel subscriber.
    await Promise.allSettled([...this.workers].map((w) => w.close()));
    this.workers.clear();
    await Promise.allSettled([...this.events.values()].map(async (e) => (await e.ready).close()));
    this.events.clear();
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    await Promise.allSettled([sub?.then((s) => s.quit()), this.redis.quit()]);
  }

  // ---------------------------------------------------------------------------------------------

  private async process(
    queue: string,
    job: BullJob,
    handler: JobHandler<never, JsonValue>,
    bullSignal: AbortSignal | undefined,
  ): Promise<JsonValue> {
    const id = job.id ?? '';
    const key = activeKey(queue, id);
    const run: ActiveRun = { controller: new AbortController(), cancelled: false };
    let runs = this.active.get(key);
    if (!runs) {
      runs = new Set();
      this.active.set(key, runs);
    }
    runs.add(run);
    // BullMQ aborts its signal when it gives the job up (lock lost, forced close): stop the handler too.
    const onBullAbort = (): void => run.controller.abort(bullSignal?.reason);
    bullSignal?.addEventListener('abort', onBullAbort, { once: true });
    const cancelKey = this.cancelKey(queue, id);
    const checkMarker = async (): Promise<void> => {
      if (!run.cancelled && (await this.redis.exists(cancelKey)) === 1) this.abortRun(run);
    };
    const poll = setInterval(() => {
      checkMarker().catch((err: unknown) => this.onError(toQueueError(err, { queue, jobId: id })));
    }, this.cancelPollMs);
    try {
      await checkMarker();
      let outcome: { ok: true; result: JsonValue } | { ok: false; error: unknown } = {
        ok: true,
        result: null,
      };
      if (!run.cancelled) {
        try {
          const result = await handler({
            id,
            queue,
            // The payload is the JSON the producer enqueued; the handler's type parameter is its promise.
            payload: job.data as never,
            attempt: job.attemptsStarted ?? 1,
            signal: run.controller.signal,
            progress: async (value) => {
              await job.updateProgress({ v: toJson(value, 'progress') });
            },
          });
          outcome = { ok: true, result: toJson(result ?? null, 'result') };
        } catch (err) {
          outcome = { ok: false, error: err };
        }
        await checkMarker();
      }
      if (run.cancelled) throw new UnrecoverableError(CANCELLED_REASON);
      if (!outcome.ok) {
        // No retry can fix it: BullMQ fails the job now, with the handler's message.
        if (isFinalJobError(outcome.error))
          throw new UnrecoverableError(errorMessage(outcome.error));
        throw outcome.error instanceof Error
          ? outcome.error
          : new Error(errorMessage(outcome.error));
      }
      return outcome.result;
    } finally {
      clearInterval(poll);
      bullSignal?.removeEventListener('abort', onBullAbort);
      runs.delete(run);
      if (runs.size === 0) this.active.delete(key);
    }
  }

  private abortRun(run: ActiveRun): void {
    if (run.cancelled) return;
    run.cancelled = true;
    run.controller.abort(new QueueError(QueueErrorCode.INTERNAL, 'job cancelled'));
  }

  private ensureSubscriber(): Promise<Redis> {
    if (!this.subscriber) {
      this.subscriber = (async () => {
        const sub = this.newRedis();
        sub.on('error', (err: Error) => this.onError(err));
        sub.on('message', (_channel: string, message: string) => {
          let target: { queue?: unknown; id?: unknown };
          try {
            target = JSON.parse(message) as { queue?: unknown; id?: unknown };
          } catch {
            return;
          }
          if (typeof target.queue !== 'string' || typeof target.id !== 'string') return;
          for (const run of this.active.get(activeKey(target.queue, target.id)) ?? []) {
            this.abortRun(run);
          }
        });
        await sub.subscribe(this.cancelChannel());
        return sub;
      })();
    }
    return this.subscriber;
  }

  /** Starts a QueueEvents reader at the stream's current end, so no later event is missed. */
  private async openEvents(
    queue: string,
    listeners: Set<QueueEventListener>,
  ): Promise<QueueEvents> {
    const last = await this.redis.xrevrange(`${this.prefix}:${queue}:events`, '+', '-', 'COUNT', 1);
    const lastEventId = last[0]?.[0] ?? '0-0';
    const events = new QueueEvents(queue, {
      ...this.bullConnection(),
      prefix: this.prefix,
      lastEventId,
      autorun: true,
    });
    const deliver = (event: QueueEvent): void => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A listener's failure is its own business.
        }
      }
    };
    events.on('error', (err) => this.onError(err));
    events.on('progress', ({ jobId, data }) => {
      deliver({ type: 'progress', queue, jobId, progress: unwrapProgress(data) });
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      deliver({ type: 'completed', queue, jobId, result: (returnvalue as JsonValue) ?? null });
    });
    events.on('failed', ({ jobId, failedReason }) => {
      deliver(
        failedReason === CANCELLED_REASON
          ? { type: 'cancelled', queue, jobId }
          : { type: 'failed', queue, jobId, error: failedReason },
      );
    });
    events.on('removed', ({ jobId }) => {
      // Only cancel() removes a job that is not finished; retention removals leave no marker.
      this.redis.exists(this.cancelKey(queue, jobId)).then(
        (n) => {
          if (n === 1) deliver({ type: 'cancelled', queue, jobId });
        },
        (err: unknown) => this.onError(toQueueError(err, { queue, jobId })),
      );
    });
    await events.waitUntilReady();
    return events;
  }

  private async cancelledInfo(queue: string, id: string): Promise<JobInfo | undefined> {
    const text = await this.redis.get(this.cancelKey(queue, id));
    if (text === null) return undefined;
    const marker = JSON.parse(text) as CancelMarker;
    return {
      id,
      queue,
      state: 'cancelled',
      payload: marker.payload,
      attempts: marker.attempts,
      progress: null,
    };
  }

  private async findJob(queue: string, id: string): Promise<BullJob | undefined> {
    return Job.fromId<JsonValue, JsonValue, string>(this.queueFor(queue), id);
  }

  private queueFor(queue: string): BullQueue {
    let q = this.queues.get(queue);
    if (!q) {
      q = new Queue<JsonValue, JsonValue, string, JsonValue, JsonValue, string>(queue, {
        ...this.bullConnection(),
        prefix: this.prefix,
      });
      q.on('error', (err) => this.onError(err));
      this.queues.set(queue, q);
    }
    return q;
  }

  private bullConnection(): { connection: BullRedisOptions } {
    const { retryStrategy, ...rest } = this.connection;
    const connection: BullRedisOptions = { ...rest };
    if (typeof retryStrategy === 'function') connection.retryStrategy = retryStrategy;
    if (this.url !== undefined) connection.url = this.url;
    return { connection };
  }

  private newRedis(): Redis {
    return this.url === undefined
      ? new Redis(this.connection)
      : new Redis(this.url, this.connection);
  }

  private jobKey(queue: string, id: string): string {
    return `${this.prefix}:${queue}:${id}`;
  }

  private cancelKey(queue: string, id: string): string {
    return `${this.prefix}:${queue}:padim:cancelled:${id}`;
  }

  private cancelChannel(): string {
    return `${this.prefix}:padim:cancel`;
  }

  private assertOpen(): void {
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the queue is closed');
  }
}

function activeKey(queue: string, id: string): string {
  return `${queue}\n${id}`;
}

/** Progress is stored as { v: value } (BullMQ's progress cannot be null); its initial 0 means none. */
function unwrapProgress(progress: unknown): JsonValue {
  if (
    progress !== null &&
    typeof progress === 'object' &&
    !Array.isArray(progress) &&
    'v' in progress
  ) {
    return (progress as { v: JsonValue }).v;
  }
  return progress === 0 || progress === undefined ? null : (progress as JsonValue);
}
