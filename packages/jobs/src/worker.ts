/**
 * The worker: consumers of the training, inspection and webhook queues plus a sweeper, in one
 * object that starts and stops together. Runs in its own process (`padim worker`, production,
 * several per Redis) or inside the API process (the embedded mode's in-process queue).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '@padim/storage';
import { InspectionStatus, TrainingJobStatus, forTenant, type PrismaClient } from '@padim/db';
import {
  QUEUES,
  type EventBus,
  inspectionQueueJobId,
  trainingQueueJobId,
  type JobQueue,
  type QueueWorker,
} from '@padim/queue';
import type { WorkerSettings } from './config.js';
import type { WorkerDeps } from './context.js';
import { registerInspectionWorker } from './inspection.js';
import { ModelCache } from './model-cache.js';
import { enqueueInspection, enqueueTraining } from './rules/enqueue.js';
import { endTrainingJob } from './rules/training-state.js';
import { registerTrainingWorker } from './training/index.js';
import { registerWebhookWorker, sweepPendingDeliveries } from './webhooks.js';

export interface WorkerOptions {
  /** Training jobs run at once by this process. Default 1 (a fit uses every core). */
  readonly trainingConcurrency?: number;
  /** Inspections scored at once by this process. Default 2. */
  readonly inspectionConcurrency?: number;
  /** Webhook deliveries in flight. Default 4. */
  readonly webhookConcurrency?: number;
  /** Job lock (BullMQ): a dead worker's jobs go back to waiting after this. */
  readonly lockMs?: number;
  /** Let webhooks reach private networks and this machine (tests, closed plants). */
  readonly allowPrivateWebhookTargets?: boolean;
  /** How often the sweeper looks for rows whose queue job was lost. Default 60 s; 0 = never. */
  readonly sweepIntervalMs?: number;
  /** Rows younger than this are left to the normal path. Default 30 s. */
  readonly sweepAfterMs?: number;
  /** RUNNING / PROCESSING rows untouched this long are checked against the queue. Default 10 min. */
  readonly staleMs?: number;
}

export interface RunningWorker {
  readonly workers: readonly QueueWorker[];
  /**
   * Runs one sweep now (also on an interval). `staleMs` 0 treats every RUNNING/PROCESSING row
   * without a live queue job as lost (a restarted embedded process).
   */
  sweep(options?: {
    staleMs?: number;
  }): Promise<{ training: number; inspections: number; recovered: number; deliveries: number }>;
  close(): Promise<void>;
}

/**
 * Rows whose queue job may be lost (the API crashed between its commit and its enqueue, or Redis
 * lost data): QUEUED training jobs and PENDING inspections older than `afterMs` are enqueued again.
 * Job ids are the row ids, so a job that does exist is not duplicated. A system task across
 * tenants: it reads ids only and enqueues; every handler re-reads its row through forTenant.
 */
export async function sweepLostJobs(
  prisma: PrismaClient,
  queue: JobQueue,
  afterMs: number,
  staleMs: number = DEFAULT_STALE_MS,
): Promise<{ training: number; inspections: number; recovered: number }> {
  const before = new Date(Date.now() - afterMs);
  const recovered = await recoverStale(prisma, queue, new Date(Date.now() - staleMs));
  const jobs = await prisma.trainingJob.findMany({
    where: { status: TrainingJobStatus.QUEUED, createdAt: { lt: before } },
    select: { id: true, organizationId: true, maxAttempts: true },
    take: 500,
  });
  for (const job of jobs) await enqueueTraining(queue, job);
  const inspections = await prisma.inspection.findMany({
    where: { status: InspectionStatus.PENDING, createdAt: { lt: before } },
    select: { id: true, organizationId: true },
    take: 1000,
  });
  for (const row of inspections) await enqueueInspection(queue, row);
  return { training: jobs.length, inspections: inspections.length, recovered };
}

/** A RUNNING job or PROCESSING inspection untouched this long may have lost its queue job. */
export const DEFAULT_STALE_MS = 10 * 60 * 1000;

/**
 * Rows in progress whose row was not touched since `staleBefore` (a running fit writes its progress
 * every second): when the queue no longer has a live job for them (the in-process queue of a
 * restarted process, or a job BullMQ failed after too many stalls), they are enqueued again (a fit
 * resumes from its checkpoint) or ended with the queue's verdict. Live jobs are left alone.
 */
async function recoverStale(
  prisma: PrismaClient,
  queue: JobQueue,
  staleBefore: Date,
): Promise<number> {
  let recovered = 0;
  const running = await prisma.trainingJob.findMany({
    where: { status: TrainingJobStatus.RUNNING, updatedAt: { lt: staleBefore } },
    select: { id: true, organizationId: true, maxAttempts: true, modelVersionId: true },
    take: 200,
  });
  for (const job of running) {
    const info = await queue.getJob(QUEUES.training, trainingQueueJobId(job.id));
    if (info && (info.state === 'waiting' || info.state === 'active')) continue;
    if (!info) {
      await enqueueTraining(queue, job);
    } else {
      const cancelled = info.state === 'cancelled';
      await forTenant(prisma, job.organizationId).$transaction((tx) =>
        endTrainingJob(tx, job, {
          status: cancelled ? TrainingJobStatus.CANCELLED : TrainingJobStatus.FAILED,
          error: cancelled ? 'cancelled' : `the worker was lost: ${info.error ?? info.state}`,
          from: [TrainingJobStatus.RUNNING],
        }),
      );
    }
    recovered++;
  }
  const processing = await prisma.inspection.findMany({
    where: { status: InspectionStatus.PROCESSING, updatedAt: { lt: staleBefore } },
    select: { id: true, organizationId: true },
    take: 1000,
  });
  for (const row of processing) {
    const info = await queue.getJob(QUEUES.inspection, inspectionQueueJobId(row.id));
    if (info && (info.state === 'waiting' || info.state === 'active')) continue;
    if (!info) {
      await enqueueInspection(queue, row);
    } else {
      await forTenant(prisma, row.organizationId).inspection.updateMany({
        where: { id: row.id, status: InspectionStatus.PROCESSING },
        data: {
          status: InspectionStatus.FAILED,
          error: `the worker was lost: ${info.error ?? info.state}`,
          completedAt: new Date(),
        },
      });
    }
    recovered++;
  }
  return recovered;
}

export async function startWorker(
  deps: WorkerDeps,
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  await mkdir(deps.workDir, { recursive: true });
  const lock = options.lockMs ? { lockMs: options.lockMs } : {};
  const workers = [
    await registerTrainingWorker(deps, { concurrency: options.trainingConcurrency ?? 1, ...lock }),
    await registerInspectionWorker(deps, {
      concurrency: options.inspectionConcurrency ?? 2,
      ...lock,
    }),
    await registerWebhookWorker(
      deps.queue,
      {
        prisma: deps.prisma,
        allowPrivateTargets: options.allowPrivateWebhookTargets ?? false,
        ...(deps.webhookBackoffMs !== undefined
          ? { retry: { backoffMs: deps.webhookBackoffMs } }
          : {}),
      },
      { concurrency: options.webhookConcurrency ?? 4 },
    ),
  ];
  const afterMs = options.sweepAfterMs ?? 30_000;
  const sweep = async (o: { staleMs?: number } = {}) => {
    const lost = await sweepLostJobs(
      deps.prisma,
      deps.queue,
      afterMs,
      o.staleMs ?? options.staleMs ?? DEFAULT_STALE_MS,
    );
    const deliveries = await sweepPendingDeliveries(deps.prisma, deps.queue, {
      olderThanMs: afterMs,
      ...(deps.webhookBackoffMs !== undefined
        ? { retry: { backoffMs: deps.webhookBackoffMs } }
        : {}),
    });
    return { ...lost, deliveries: deliveries.enqueued };
  };
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          sweep().catch((error: unknown) =>
            deps.log?.(`sweep failed: ${error instanceof Error ? error.message : String(error)}`),
          );
        }, interval)
      : undefined;
  timer?.unref();
  let closed = false;
  return {
    workers,
    sweep,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await Promise.all(workers.map((w) => w.close()));
      await deps.cache.close();
    },
  };
}

/**
 * The job processes as the configuration asks for them: the one composition shared by a worker
 * process (apps/worker) and the API's embedded mode, so both read WORKER_* the same way.
 */
export async function startConfiguredWorker(
  config: WorkerSettings,
  parts: {
    readonly prisma: PrismaClient;
    readonly store: ObjectStore;
    readonly queue: JobQueue;
    readonly bus: EventBus;
    readonly log?: (line: string) => void;
  },
): Promise<{ worker: RunningWorker; cache: ModelCache }> {
  const root = join(config.DATA_DIR, 'worker');
  const cache = new ModelCache({
    store: parts.store,
    cacheDir: join(root, 'models'),
    memoryBudgetBytes: config.WORKER_MODEL_CACHE_MB * 1024 * 1024,
  });
  const deps: WorkerDeps = {
    ...parts,
    cache,
    workDir: join(root, 'work'),
    batchSize: config.WORKER_BATCH_SIZE,
    checkpointEvery: config.WORKER_CHECKPOINT_EVERY,
    ...(config.PADIM_CACHE_DIR ? { weightsCacheDir: config.PADIM_CACHE_DIR } : {}),
  };
  const worker = await startWorker(deps, {
    trainingConcurrency: config.WORKER_TRAINING_CONCURRENCY,
    inspectionConcurrency: config.WORKER_INSPECTION_CONCURRENCY,
    lockMs: config.WORKER_LOCK_MS,
    allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    sweepIntervalMs: config.WORKER_SWEEP_INTERVAL_MS,
  });
  return { worker, cache };
}
