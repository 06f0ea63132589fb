/**
 * What the worker's job handlers share: the database, the object store, the queue (to enqueue
 * webhook deliveries), the event bus (live progress and results), a scratch folder and the
 * detector cache. One `WorkerDeps` per worker process; handlers never read the environment.
 */
import type { PrismaClient } from '@padim/db';
import {
  eventChannel,
  type EventBus,
  type JobQueue,
  type JsonValue,
  type PlatformEvent,
  type QueueWorker,
} from '@padim/queue';
import type { ObjectStore } from '@padim/storage';
import type { RuntimeOptions } from '@padim/inference';
import type { ModelCache } from './model-cache.js';
import { enqueueWebhookDeliveries } from './webhooks.js';

export interface WorkerDeps {
  readonly prisma: PrismaClient;
  readonly store: ObjectStore;
  readonly queue: JobQueue;
  readonly bus: EventBus;
  readonly cache: ModelCache;
  /** Local scratch space: model folders being built, checkpoints. */
  readonly workDir: string;
  /** Where ImageNet weights are cached (default: the pretrained module's default). */
  readonly weightsCacheDir?: string;
  readonly runtime?: RuntimeOptions;
  /** Images per backbone batch while fitting and calibrating. Default 8. */
  readonly batchSize?: number;
  /** Accumulator checkpoints every this many batches of a fit. Default 10. */
  readonly checkpointEvery?: number;
  /** Backoff base of webhook deliveries (ms). */
  readonly webhookBackoffMs?: number;
  readonly log?: (line: string) => void;
}

/** Events are announcements: a failed publish is logged, never fails the job (the row is the truth). */
export async function publish(deps: WorkerDeps, event: PlatformEvent): Promise<void> {
  try {
    await deps.bus.publish(eventChannel(event.organizationId), event);
  } catch (error) {
    deps.log?.(`event publish failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Enqueues the webhook deliveries a job committed in its result's transaction (the outbox). A
 * failed enqueue is logged and left to the sweeper: the delivery rows are PENDING.
 */
export async function enqueueOutbox(
  deps: WorkerDeps,
  organizationId: string,
  deliveryIds: readonly string[],
): Promise<void> {
  await enqueueWebhookDeliveries(deps.queue, organizationId, deliveryIds, {
    ...(deps.webhookBackoffMs !== undefined ? { backoffMs: deps.webhookBackoffMs } : {}),
  }).catch((error: unknown) => deps.log?.(`webhook enqueue failed: ${errorText(error)}`));
}

/**
 * Consumes `queue` with `run`. Each payload is validated by `parse` first: a malformed one fails
 * its job at once (FinalJobError) before any row is touched.
 */
export function consume<P extends JsonValue, R extends JsonValue>(
  deps: WorkerDeps,
  queue: string,
  parse: (payload: unknown) => P,
  run: (ctx: { payload: P; attempt: number; signal: AbortSignal }) => Promise<R>,
  options: { readonly concurrency?: number; readonly lockMs?: number } = {},
): Promise<QueueWorker> {
  return deps.queue.worker<JsonValue, R>(
    queue,
    async (job) => run({ payload: parse(job.payload), attempt: job.attempt, signal: job.signal }),
    {
      concurrency: options.concurrency ?? 1,
      ...(options.lockMs ? { lockMs: options.lockMs } : {}),
    },
  );
}
