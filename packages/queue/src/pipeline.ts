/**
 * The contract between the API (which only enqueues) and the worker (which runs the CNN): queue
 * names, job payloads and the platform events published on the event bus. Both sides import these
 * types; nothing here does I/O.
 */
import type { JsonValue } from './queue.js';

export const QUEUES = {
  /** Fits (FULL) and folds (INCREMENTAL) model versions: one job per TrainingJob row. */
  training: 'padim.training',
  /** Scores one Inspection row per job; single-image requests run before batch items. */
  inspection: 'padim.inspection',
  /** Delivers one WebhookDelivery row per job (retried with backoff). */
  webhooks: 'padim.webhooks',
} as const;

/** Priority of batch inspections: the API's synchronous single-image jobs carry none and run first. */
export const BATCH_INSPECTION_PRIORITY = 10;

export interface TrainingJobPayload {
  readonly [key: string]: JsonValue;
  readonly organizationId: string;
  readonly trainingJobId: string;
}

export interface InspectionJobPayload {
  readonly [key: string]: JsonValue;
  readonly organizationId: string;
  readonly inspectionId: string;
}

export interface WebhookJobPayload {
  readonly [key: string]: JsonValue;
  readonly organizationId: string;
  readonly deliveryId: string;
}

/** Queue job ids: the row id makes enqueueing idempotent (the same row never runs twice at once). */
export const trainingQueueJobId = (trainingJobId: string): string => `training-${trainingJobId}`;
export const inspectionQueueJobId = (inspectionId: string): string => `inspection-${inspectionId}`;
export const webhookQueueJobId = (deliveryId: string): string => `delivery-${deliveryId}`;

/** Webhook event names (stored in Webhook.events and sent as the Padim-Event header). */
export const WEBHOOK_EVENTS = [
  'inspection.created',
  'inspection.flagged',
  'model.ready',
  'training.failed',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export type TrainingPhase = 'queued' | 'loading' | 'fitting' | 'calibrating' | 'saving' | 'done';

/** Everything published on the event bus, on the organization's channel (`eventChannel`). */
export type PlatformEvent =
  | {
      readonly type: 'training.progress';
      readonly organizationId: string;
      readonly productModelId: string;
      readonly modelVersionId: string;
      readonly trainingJobId: string;
      /** TrainingJobStatus */
      readonly status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
      readonly phase: TrainingPhase;
      /** Images (or held-out images while calibrating) done of total in this phase. */
      readonly done: number;
      readonly total: number;
      /** 0 .. 1 over the whole job. */
      readonly progress: number;
      /** Seconds left, estimated from the rate so far; null when unknown. */
      readonly etaSeconds: number | null;
      readonly error: string | null;
    }
  | {
      readonly type: 'model.ready';
      readonly organizationId: string;
      readonly productModelId: string;
      readonly modelVersionId: string;
      readonly version: number;
    }
  | {
      readonly type: 'inspection.completed';
      readonly organizationId: string;
      readonly productModelId: string;
      readonly modelVersionId: string;
      readonly inspectionId: string;
      /** COMPLETED or FAILED */
      readonly status: 'COMPLETED' | 'FAILED';
      readonly score: number | null;
      readonly verdict: 'GOOD' | 'DEFECT' | null;
      readonly flagged: boolean;
    };

/** The bus channel of one organization: every event of a tenant, and only its events. */
export const eventChannel = (organizationId: string): string => `org.${organizationId}`;
