/**
 * Job payloads as the worker takes them off the queue: validated, never trusted. A malformed payload
 * (another version's producer, a hand-made job, a corrupted entry) fails its job at once, with a
 * reason that names the bad fields, instead of a database error deep in a handler.
 */
import {
  FinalJobError,
  type InspectionJobPayload,
  type TrainingJobPayload,
  type WebhookJobPayload,
} from '@padim/queue';
import { z } from 'zod';

/** Row ids are cuid-like strings; organization ids too. */
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'not an id');

const TRAINING = z.object({ organizationId: id, trainingJobId: id });
const INSPECTION = z.object({ organizationId: id, inspectionId: id });
const WEBHOOK = z.object({ organizationId: id, deliveryId: id });

/** Final: a retry would read the same payload, so the job fails at once (FinalJobError). */
export class MalformedPayloadError extends FinalJobError {
  override readonly name = 'MalformedPayloadError';
}

function parse<T>(what: string, schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new MalformedPayloadError(
    `malformed ${what} job payload: ${parsed.error.issues
      .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
      .join('; ')}`,
  );
}

export const parseTrainingPayload = (payload: unknown): TrainingJobPayload =>
  parse('training', TRAINING, payload);
export const parseInspectionPayload = (payload: unknown): InspectionJobPayload =>
  parse('inspection', INSPECTION, payload);
export const parseWebhookPayload = (payload: unknown): WebhookJobPayload =>
  parse('webhook', WEBHOOK, payload);
