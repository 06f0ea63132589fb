import type { JsonValue, PlatformEvent } from '@padim/queue';

const TYPES: ReadonlySet<string> = new Set<PlatformEvent['type']>([
  'training.progress',
  'model.ready',
  'inspection.completed',
]);

/**
 * A bus message as a PlatformEvent, or null when it is none (another publisher's message, a newer
 * event type). Checks the discriminant and the ids that routing depends on; the remaining fields
 * are the worker's contract (packages/queue/src/pipeline.ts).
 */
export function toPlatformEvent(message: JsonValue): PlatformEvent | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const { type, organizationId, productModelId } = message;
  if (typeof type !== 'string' || !TYPES.has(type)) return null;
  if (typeof organizationId !== 'string' || typeof productModelId !== 'string') return null;
  return message as unknown as PlatformEvent;
}
