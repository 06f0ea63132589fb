/** What the training job's parts share: its options, its failure type, small helpers. */
import type { Prisma } from '@padim/db';
import type { ImageSource } from '@padim/inference';
import type { WorkerDeps } from '../context.js';

export const DEFAULT_HOLDOUT_FRACTION = 0.1;

/** Options the API stores on a FULL job (TrainingJob.options). */
export interface FullTrainingOptions {
  readonly holdoutFraction?: number;
  readonly targetFalseAlarmRate?: number;
}

/** Options the API stores on an INCREMENTAL job: the reviews to fold in. */
export interface FoldOptions {
  readonly reviewIds: readonly string[];
}

/** What a version records in `metrics` beyond the evaluation numbers. */
export interface VersionMetrics {
  readonly [key: string]: Prisma.InputJsonValue | null;
}

/** A failure that retrying cannot fix (bad data, missing weights): the job fails at once. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

/** A labelled calibration image: its object key and, for a defect, its mask's key. */
export interface LabelledImage {
  readonly key: string;
  readonly maskKey: string | null;
}

export function storeSource(deps: WorkerDeps, keys: readonly string[]): ImageSource {
  return { count: keys.length, read: (i) => deps.store.get(keys[i]!) };
}

export function asRecord(value: Prisma.JsonValue | null): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
