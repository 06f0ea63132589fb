/**
 * The training job: one TrainingJob row -> one ModelVersion made READY, exactly once.
 *
 * FULL: stream the snapshot's normal images (GOOD and UNKNOWN labels; PaDiM learns from normal
 * parts only) from the object store through the backbone into the float64 accumulator, holding a
 * seeded share out for calibration; finalise; build the one-graph detector; calibrate the threshold
 * on the held-out normals for the target false-alarm rate, or F1-optimally when the snapshot has
 * DEFECT-labelled images (which then also give image AUROC, pixel AUROC and PRO where masks exist);
 * upload statistics, accumulator and detector; commit the version, its threshold, the job's end, an
 * audit event and the webhook outbox rows in one transaction.
 *
 * INCREMENTAL: fold reviewed false positives (normal by definition) into the parent version's
 * accumulator: no training image is read again; then the same build, calibrate (on the parent's
 * held-out normals and confirmed defects), upload and commit.
 *
 * Retries: the accumulator is checkpointed to the object store every few batches; a retried job
 * (the worker died: the queue runs it again) resumes from the checkpoint. The commit is guarded by
 * the job's state machine, so a job that somehow runs twice still makes one READY version.
 *
 * The parts: claim.ts (claiming), fit.ts (fitting), calibrate.ts (calibration), commit.ts
 * (committing), progress.ts (progress reports).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelVersionStatus, TrainingJobKind, TrainingJobStatus } from '@padim/db';
import { QUEUES, type JobContext, type QueueWorker, type TrainingJobPayload } from '@padim/queue';
import {
  CalibrationError,
  DEFAULT_FALSE_ALARM_RATE,
  FeatureExtractor,
  FitCancelledError,
  ImageError,
} from '@padim/inference';
import { ObjectStoreErrorCode, isObjectStoreError } from '@padim/storage';
import { artifactKey, uploadModelDir, type VersionRef } from '../artifacts.js';
import { consume, errorText, publish, type WorkerDeps } from '../context.js';
import { parseTrainingPayload } from '../rules/payloads.js';
import { transitionTrainingJob } from '../rules/training-state.js';
import { calibrate } from './calibrate.js';
import { claimJob } from './claim.js';
import { commitReady, endWithout } from './commit.js';
import { CHECKPOINT_FILE, backboneFor, buildModelDir, foldFit, fullFit } from './fit.js';
import { ProgressReporter, publishTrainingEnd } from './progress.js';
import { TrainingError, type VersionMetrics } from './shared.js';

/**
 * Failures a retry cannot fix: bad data or settings (not a crash, a timeout or a lost connection).
 */
function isFinal(error: unknown): boolean {
  return (
    error instanceof TrainingError ||
    error instanceof CalibrationError ||
    error instanceof ImageError ||
    error instanceof RangeError ||
    isObjectStoreError(error, ObjectStoreErrorCode.NOT_FOUND)
  );
}

export async function runTrainingJob(
  deps: WorkerDeps,
  ctx: Pick<JobContext<TrainingJobPayload>, 'payload' | 'attempt' | 'signal'>,
): Promise<{ modelVersionId: string; status: string }> {
  const claim = await claimJob(deps, ctx.payload, ctx.attempt);
  if (!claim.claimed) return { modelVersionId: claim.modelVersionId, status: claim.status };
  const { db, job, version } = claim;
  const ref: VersionRef = {
    organizationId: job.organizationId,
    productModelId: version.productModelId,
    modelVersionId: version.id,
  };
  const progress = new ProgressReporter(deps, job, version);
  await progress.report('loading', 0, 1, { force: true });
  const dir = join(deps.workDir, `version-${version.id}`);
  let extractor: FeatureExtractor | undefined;
  try {
    extractor = await FeatureExtractor.open(await backboneFor(deps, version), deps.runtime ?? {});
    const started = Date.now();
    let result:
      | Awaited<ReturnType<typeof fullFit>>
      | (Awaited<ReturnType<typeof foldFit>> & { options?: undefined });
    let target: number;
    let reviewIds: string[] = [];
    if (job.kind === TrainingJobKind.INCREMENTAL) {
      const folded = await foldFit(deps, db, job, version, extractor, ctx.signal);
      result = folded;
      target = folded.target;
      reviewIds = folded.reviewIds;
    } else {
      const full = await fullFit(deps, db, job, version, ref, extractor, progress, ctx.signal);
      result = full;
      target = full.options.targetFalseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
    }
    const fitMs = Date.now() - started;
    if (ctx.signal.aborted) throw new FitCancelledError(result.fit.model.gaussian.count);
    await db.modelVersion.updateMany({
      where: { id: version.id, status: ModelVersionStatus.TRAINING },
      data: { status: ModelVersionStatus.CALIBRATING },
    });
    await progress.report('calibrating', 0, 1, { force: true });
    await buildModelDir(deps, extractor, result.fit, dir);
    const calibrated = await calibrate(
      deps,
      dir,
      result.heldOutKeys,
      result.defects,
      target,
      (d, t) => progress.report('calibrating', d, t),
    );
    if (ctx.signal.aborted) throw new FitCancelledError(result.fit.model.gaussian.count);
    await progress.report('saving', 0, 1, { force: true });
    // A run the queue gave to another worker (a lost lock) must not overwrite that run's files.
    const owner = await db.trainingJob.findFirst({
      where: { id: job.id },
      select: { status: true, attempts: true },
    });
    if (owner?.status !== TrainingJobStatus.RUNNING || owner.attempts !== ctx.attempt)
      return { modelVersionId: version.id, status: 'SUPERSEDED' };
    const uploaded = await uploadModelDir(deps.store, dir, ref);
    const metrics: VersionMetrics = {
      ...calibrated.metrics,
      holdoutImageIds: result.heldOutIds,
      heldOutImages: result.heldOutIds.length,
      fitMs,
      timings: { ...result.fit.timings },
      artifactBytes: { ...uploaded.sizes },
      ...(reviewIds.length > 0 ? { absorbedReviewIds: reviewIds } : {}),
    };
    const committed = await commitReady(deps, job, version, {
      statsKey: uploaded.statsKey,
      detectorKey: uploaded.detectorKey,
      trainedImageCount: result.fit.model.gaussian.count,
      metrics,
      calibrated,
      reviewIds,
      attempt: ctx.attempt,
    });
    await deps.store.delete(artifactKey(ref, CHECKPOINT_FILE)).catch(() => undefined);
    if (committed) {
      await publishTrainingEnd(deps, job, version, 'SUCCEEDED');
      await publish(deps, {
        type: 'model.ready',
        organizationId: job.organizationId,
        productModelId: version.productModelId,
        modelVersionId: version.id,
        version: version.version,
      });
    }
    return { modelVersionId: version.id, status: 'SUCCEEDED' };
  } catch (error) {
    if (error instanceof FitCancelledError || ctx.signal.aborted) {
      await endWithout(deps, job, version, 'CANCELLED', 'cancelled', ctx.attempt);
      return { modelVersionId: version.id, status: 'CANCELLED' };
    }
    const message = errorText(error);
    const final = isFinal(error) || ctx.attempt >= job.maxAttempts;
    if (final) {
      deps.log?.(`training ${job.id} failed: ${message}`);
      await endWithout(deps, job, version, 'FAILED', message, ctx.attempt);
      return { modelVersionId: version.id, status: 'FAILED' };
    }
    // Stays RUNNING for the queue's next attempt, with the reason of this one.
    await transitionTrainingJob(
      db,
      job.id,
      TrainingJobStatus.RUNNING,
      { error: `attempt ${ctx.attempt} failed: ${message}` },
      { from: [TrainingJobStatus.RUNNING] },
    );
    throw error;
  } finally {
    await extractor?.release();
    await rm(dir, { recursive: true, force: true });
  }
}

export function registerTrainingWorker(
  deps: WorkerDeps,
  options: { readonly concurrency?: number; readonly lockMs?: number } = {},
): Promise<QueueWorker> {
  return consume(deps, QUEUES.training, parseTrainingPayload, (ctx) => runTrainingJob(deps, ctx), {
    concurrency: 1,
    ...options,
  });
}
