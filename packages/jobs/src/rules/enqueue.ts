/**
 * Enqueue options and job ids, in one place: the API (which only enqueues), the sweeper (which
 * enqueues again what was lost) and the worker agree on attempts, backoff and priority. Job ids are
 * derived from row ids, so enqueueing the same row twice never runs it twice at once.
 */
import {
  BATCH_INSPECTION_PRIORITY,
  QUEUES,
  inspectionQueueJobId,
  trainingQueueJobId,
  type InspectionJobPayload,
  type EnqueueResult,
  type JobQueue,
  type TrainingJobPayload,
} from '@padim/queue';

/** Queue runs of one inspection before its row is marked FAILED. */
export const INSPECTION_ATTEMPTS = 3;
/** Backoff base between inspection runs (ms). */
export const INSPECTION_BACKOFF_MS = 1000;
/** Backoff base between training attempts (ms); the attempts are the row's `maxAttempts`. */
export const TRAINING_BACKOFF_MS = 5000;

export function enqueueTraining(
  queue: JobQueue,
  job: { readonly id: string; readonly organizationId: string; readonly maxAttempts: number },
): Promise<EnqueueResult> {
  const payload: TrainingJobPayload = { organizationId: job.organizationId, trainingJobId: job.id };
  return queue.enqueue(QUEUES.training, payload, {
    jobId: trainingQueueJobId(job.id),
    attempts: job.maxAttempts,
    backoffMs: TRAINING_BACKOFF_MS,
  });
}

/**
 * `batch`: an item of inspectImages, behind the single images a caller waits for
 * (BATCH_INSPECTION_PRIORITY); single images carry no priority and run first.
 */
export function enqueueInspection(
  queue: JobQueue,
  row: { readonly id: string; readonly organizationId: string },
  options: { readonly batch?: boolean } = {},
): Promise<EnqueueResult> {
  const payload: InspectionJobPayload = {
    organizationId: row.organizationId,
    inspectionId: row.id,
  };
  return queue.enqueue(QUEUES.inspection, payload, {
    jobId: inspectionQueueJobId(row.id),
    attempts: INSPECTION_ATTEMPTS,
    backoffMs: INSPECTION_BACKOFF_MS,
    ...(options.batch ? { priority: BATCH_INSPECTION_PRIORITY } : {}),
  });
}
