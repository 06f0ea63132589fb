export {
  FinalJobError,
  QueueError,
  QueueErrorCode,
  isFinalJobError,
  isQueueError,
  toQueueError,
} from './errors.js';
export type { QueueErrorDetails } from './errors.js';
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_COMPLETED_RETENTION_MS,
  DEFAULT_FAILED_RETENTION_MS,
  MAX_PRIORITY,
  backoffDelay,
} from './queue.js';
export type {
  EnqueueOptions,
  EnqueueResult,
  JobContext,
  JobHandler,
  JobInfo,
  JobQueue,
  JobState,
  JsonPrimitive,
  JsonValue,
  QueueEvent,
  QueueEventListener,
  QueueWorker,
  Unsubscribe,
  WorkerOptions,
} from './queue.js';
export { InProcessQueue } from './in-process-queue.js';
export type { InProcessQueueOptions } from './in-process-queue.js';
export { BullMqQueue, CANCELLED_REASON } from './bullmq-queue.js';
export type { BullMqQueueOptions } from './bullmq-queue.js';
export { InProcessEventBus, RedisEventBus } from './event-bus.js';
export type { EventBus, EventListener, RedisEventBusOptions } from './event-bus.js';
export * from './pipeline.js';
