/**
 * The embedded mode's queue: the same semantics as BullMqQueue, in this process's memory (jobs are
 * lost when the process ends). Retries with exponential backoff, per-worker concurrency, priorities,
 * delays, idempotent jobIds, cancellation and events.
 */
import { randomUUID } from 'node:crypto';

import { QueueError, QueueErrorCode, isFinalJobError } from './errors.js';
import {
  DEFAULT_COMPLETED_RETENTION_MS,
  DEFAULT_FAILED_RETENTION_MS,
  assertJobId,
  assertQueueName,
  backoffDelay,
  errorMessage,
  normalizeEnqueueOptions,
  normalizeWorkerOptions,
  toJson,
  type EnqueueOptions,
  type EnqueueResult,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobState,
  type JsonValue,
  type QueueEvent,
  type QueueEventListener,
  type QueueWorker,
  type Unsubscribe,
  type WorkerOptions,
} from './queue.js';

export interface InProcessQueueOptions {
  /** How long a completed job is kept (and its jobId stays taken). Default 24 h. */
  readonly completedRetentionMs?: number;
  /** How long a failed or cancelled job is kept (and its jobId stays taken). Default 7 days. */
  readonly failedRetentionMs?: number;
}

interface JobRecord {
  readonly id: string;
  readonly queue: string;
  readonly payload: JsonValue;
  readonly attemptsAllowed: number;
  readonly backoffMs: number;
  readonly priority: number;
  readonly seq: number;
  state: JobState;
  /** Not run before this time (delay, retry backoff). */
  availableAt: number;
  attempts: number;
  /** Failed runs so far (a cancelled run is not one). */
  failures: number;
  progress: JsonValue;
  result?: JsonValue;
  error?: string;
  finishedAt?: number;
  controller?: AbortController;
}

interface WorkerRecord {
  readonly queue: string;
  readonly concurrency: number;
  readonly handler: JobHandler<JsonValue, JsonValue>;
  readonly running: Set<Promise<void>>;
  closing: boolean;
}

interface QueueRecord {
  readonly jobs: Map<string, JobRecord>;
  readonly workers: Set<WorkerRecord>;
  readonly listeners: Set<QueueEventListener>;
  timer?: NodeJS.Timeout;
  timerAt?: number;
}

export class InProcessQueue implements JobQueue {
  private readonly queues = new Map<string, QueueRecord>();
  private readonly completedRetentionMs: number;
  private readonly failedRetentionMs: number;
  private seq = 0;
  private closed = false;

  constructor(options: InProcessQueueOptions = {}) {
    this.completedRetentionMs = options.completedRetentionMs ?? DEFAULT_COMPLETED_RETENTION_MS;
    this.failedRetentionMs = options.failedRetentionMs ?? DEFAULT_FAILED_RETENTION_MS;
  }

  async enqueue<P extends JsonValue>(
    queue: string,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    this.assertOpen();
    const opts = normalizeEnqueueOptions(queue, options);
    const data = toJson(payload, 'payload');
    const q = this.queueRecord(queue);
    this.prune(q);
    const id = opts.jobId ?? randomUUID();
    if (q.jobs.has(id)) return { id, deduplicated: true };
    q.jobs.set(id, {
      id,
      queue,
      payload: data,
      attemptsAllowed: opts.attempts,
      backoffMs: opts.backoffMs,
      priority: opts.priority,
      seq: this.seq++,
      state: 'waiting',
      availableAt: Date.now() + opts.delayMs,
      attempts: 0,
      failures: 0,
      progress: null,
    });
    this.schedule(q);
    return { id, deduplicated: false };
  }

  async worker<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue>(
    queue: string,
    handler: JobHandler<P, R>,
    options?: WorkerOptions,
  ): Promise<QueueWorker> {
    this.assertOpen();
    assertQueueName(queue);
    const { concurrency } = normalizeWorkerOptions(options);
    const q = this.queueRecord(queue);
    const worker: WorkerRecord = {
      queue,
      concurrency,
      // The payload is the JSON the producer enqueued; the handler's type parameter is its promise.
      handler: handler as unknown as JobHandler<JsonValue, JsonValue>,
      running: new Set(),
      closing: false,
    };
    q.workers.add(worker);
    this.schedule(q);
    return {
      queue,
      close: async () => {
        worker.closing = true;
        q.workers.delete(worker);
        if (q.workers.size === 0 && q.timer) {
          clearTimeout(q.timer);
          q.timer = undefined;
          q.timerAt = undefined;
        }
        while (worker.running.size > 0) await Promise.allSettled([...worker.running]);
      },
    };
  }

  async getJob(queue: string, id: string): Promise<JobInfo | undefined> {
    this.assertOpen();
    assertQueueName(queue);
    assertJobId(queue, id);
    const q = this.queues.get(queue);
    if (!q) return undefined;
    this.prune(q);
    const job = q.jobs.get(id);
    if (!job) return undefined;
    return {
      id: job.id,
      queue,
      state: job.state,
      payload: structuredClone(job.payload),
      attempts: job.attempts,
      progress: structuredClone(job.progress),
      ...(job.state === 'completed' ? { result: structuredClone(job.result ?? null) } : {}),
      ...(job.state === 'failed' ? { error: job.error ?? '' } : {}),
    };
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    this.assertOpen();
    assertQueueName(queue);
    assertJobId(queue, id);
    const q = this.queues.get(queue);
    const job = q?.jobs.get(id);
    if (!q || !job) {
      throw new QueueError(QueueErrorCode.NOT_FOUND, `job ${id} not found in ${queue}`, {
        queue,
        jobId: id,
      });
    }
    switch (job.state) {
      case 'cancelled':
        return true;
      case 'completed':
      case 'failed':
        return false;
      case 'waiting':
        this.finish(q, job, 'cancelled');
        this.emit(q, { type: 'cancelled', queue, jobId: id });
        return true;
      case 'active':
        // The run's settlement (runJob) ends the job cancelled and emits the event.
        job.controller?.abort(new QueueError(QueueErrorCode.INTERNAL, 'job cancelled'));
        return true;
    }
  }

  async onEvent(queue: string, listener: QueueEventListener): Promise<Unsubscribe> {
    this.assertOpen();
    assertQueueName(queue);
    const q = this.queueRecord(queue);
    q.listeners.add(listener);
    return () => {
      q.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const q of this.queues.values()) {
      if (q.timer) clearTimeout(q.timer);
      for (const w of q.workers) {
        w.closing = true;
        running.push(...w.running);
      }
      q.workers.clear();
    }
    await Promise.allSettled(running);
    for (const q of this.queues.values()) q.listeners.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the queue is closed');
  }

  private queueRecord(queue: string): QueueRecord {
    let q = this.queues.get(queue);
    if (!q) {
      q = { jobs: new Map(), workers: new Set(), listeners: new Set() };
      this.queues.set(queue, q);
    }
    return q;
  }

  /** Forgets finished jobs older than their retention (their jobIds become free again). */
  private prune(q: QueueRecord): void {
    const now = Date.now();
    for (const [id, job] of q.jobs) {
      if (job.finishedAt === undefined) continue;
      const keep = job.state === 'completed' ? this.completedRetentionMs : this.failedRetentionMs;
      if (now - job.finishedAt > keep) q.jobs.delete(id);
    }
  }

  /** Starts every ready job a worker has room for; arms a timer for the earliest delayed job. */
  private schedule(q: QueueRecord): void {
    if (this.closed) return;
    const now = Date.now();
    const waiting = [...q.jobs.values()].filter((j) => j.state === 'waiting');
    const ready = waiting
      .filter((j) => j.availableAt <= now)
      .sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    for (const worker of q.workers) {
      while (!worker.closing && worker.running.size < worker.concurrency) {
        const job = ready.shift();
        if (!job) break;
        this.start(q, worker, job);
      }
    }
    const later = waiting.filter((j) => j.availableAt > now).map((j) => j.availableAt);
    if (later.length > 0 && q.workers.size > 0) {
      const at = Math.min(...later);
      if (q.timerAt === undefined || at < q.timerAt) {
        if (q.timer) clearTimeout(q.timer);
        q.timerAt = at;
        q.timer = setTimeout(
          () => {
            q.timer = undefined;
            q.timerAt = undefined;
            this.schedule(q);
          },
          Math.max(0, at - now),
        );
      }
    }
  }

  private start(q: QueueRecord, worker: WorkerRecord, job: JobRecord): void {
    job.state = 'active';
    job.attempts += 1;
    const controller = new AbortController();
    job.controller = controller;
    const run = this.runJob(q, worker, job, controller).finally(() => {
      worker.running.delete(run);
      this.schedule(q);
    });
    worker.running.add(run);
  }

  private async runJob(
    q: QueueRecord,
    worker: WorkerRecord,
    job: JobRecord,
    controller: AbortController,
  ): Promise<void> {
    let outcome: { ok: true; result: JsonValue } | { ok: false; error: string; final: boolean };
    try {
      const result = await worker.handler({
        id: job.id,
        queue: job.queue,
        payload: structuredClone(job.payload),
        attempt: job.attempts,
        signal: controller.signal,
        progress: async (value) => {
          const progress = toJson(value, 'progress');
          if (job.state !== 'active' || job.controller !== controller) return;
          job.progress = progress;
          this.emit(q, { type: 'progress', queue: job.queue, jobId: job.id, progress });
        },
      });
      outcome = { ok: true, result: toJson(result ?? null, 'result') };
    } catch (err) {
      outcome = { ok: false, error: errorMessage(err), final: isFinalJobError(err) };
    }
    job.controller = undefined;
    if (controller.signal.aborted) {
      this.finish(q, job, 'cancelled');
      this.emit(q, { type: 'cancelled', queue: job.queue, jobId: job.id });
    } else if (outcome.ok) {
      job.result = outcome.result;
      this.finish(q, job, 'completed');
      this.emit(q, { type: 'completed', queue: job.queue, jobId: job.id, result: outcome.result });
    } else {
      job.failures += 1;
      job.error = outcome.error;
      if (job.failures < job.attemptsAllowed && !outcome.final) {
        job.state = 'waiting';
        job.availableAt = Date.now() + backoffDelay(job.backoffMs, job.failures);
      } else {
        this.finish(q, job, 'failed');
        this.emit(q, { type: 'failed', queue: job.queue, jobId: job.id, error: outcome.error });
      }
    }
  }

  private finish(
    q: QueueRecord,
    job: JobRecord,
    state: 'completed' | 'failed' | 'cancelled',
  ): void {
    job.state = state;
    job.finishedAt = Date.now();
    this.prune(q);
  }

  /** Delivers asynchronously (never inside the caller's stack); a throwing listener is ignored. */
  private emit(q: QueueRecord, event: QueueEvent): void {
    for (const listener of q.listeners) {
      queueMicrotask(() => {
        try {
          listener(structuredClone(event));
        } catch {
          // A listener's failure is its own business.
        }
      });
    }
  }
}
