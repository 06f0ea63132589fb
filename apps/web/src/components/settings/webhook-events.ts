import type { WebhookEvent } from '@/gql/graphql';

export const WEBHOOK_EVENTS = [
  'INSPECTION_CREATED',
  'INSPECTION_FLAGGED',
  'MODEL_READY',
  'TRAINING_FAILED',
] as const satisfies readonly WebhookEvent[];

/** The name deliveries carry, and what it means. */
export const WEBHOOK_EVENT_TEXT: Record<WebhookEvent, { wire: string; text: string }> = {
  INSPECTION_CREATED: { wire: 'inspection.created', text: 'every finished inspection' },
  INSPECTION_FLAGGED: { wire: 'inspection.flagged', text: 'an inspection flagged as a defect' },
  MODEL_READY: { wire: 'model.ready', text: 'a model version finished training' },
  TRAINING_FAILED: { wire: 'training.failed', text: 'a training job failed' },
};
