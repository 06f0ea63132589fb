/**
 * Committing: the one transaction that makes a version READY (or ends the job without a model),
 * guarded by the training-job state machine so a job that somehow runs twice commits once.
 */
import {
  ModelVersionStatus,
  TrainingJobStatus,
  forTenant,
  type ModelVersion,
  type Prisma,
  type TrainingJob,
} from '@padim/db';
import { artifactKey, type VersionRef } from '../artifacts.js';
import { enqueueOutbox, type WorkerDeps } from '../context.js';
import { SYSTEM_ACTOR, recordAudit } from '../rules/audit.js';
import { endTrainingJob, transitionTrainingJob } from '../rules/training-state.js';
import { recordWebhookEvent } from '../webhooks.js';
import type { Calibrated } from './calibrate.js';
import { CHECKPOINT_FILE } from './fit.js';
import { publishTrainingEnd } from './progress.js';
import { TrainingError, type VersionMetrics } from './shared.js';

/** Marks the job (and version) as ended without a model: FAILED or CANCELLED. */
export async function endWithout(
  deps: WorkerDeps,
  job: TrainingJob,
  version: ModelVersion,
  status: 'FAILED' | 'CANCELLED',
  error: string,
  attempt: number,
): Promise<void> {
  const ended = await forTenant(deps.prisma, job.organizationId).$transaction(async (db) => {
    const moved = await endTrainingJob(db, job, { status, error, attempts: attempt });
    if (!moved) return undefined;
    return status === 'FAILED'
      ? recordWebhookEvent(db, job.organizationId, 'training.failed', {
          trainingJobId: job.id,
          modelVersionId: version.id,
          productModelId: version.productModelId,
          version: version.version,
          error,
        })
      : [];
  });
  if (ended === undefined) return;
  const ref: VersionRef = {
    organizationId: job.organizationId,
    productModelId: version.productModelId,
    modelVersionId: version.id,
  };
  await deps.store.delete(artifactKey(ref, CHECKPOINT_FILE)).catch(() => undefined);
  await enqueueOutbox(deps, job.organizationId, ended);
  await publishTrainingEnd(deps, job, version, status, error);
}

/**
 * One transaction: the version becomes READY with its artifacts, its calibrated threshold row,
 * the folded reviews' lineage, the job's end, an audit event and the model.ready outbox rows.
 * Guarded by the version's status: false when another run committed first (nothing is written).
 */
export async function commitReady(
  deps: WorkerDeps,
  job: TrainingJob,
  version: ModelVersion,
  done: {
    statsKey: string;
    detectorKey: string;
    trainedImageCount: number;
    metrics: VersionMetrics;
    calibrated: Calibrated;
    reviewIds: string[];
    attempt: number;
  },
): Promise<boolean> {
  const deliveries = await forTenant(deps.prisma, job.organizationId).$transaction(async (db) => {
    const now = new Date();
    // Only the attempt that holds the job commits it (a run the queue gave away does not).
    const ended = await transitionTrainingJob(
      db,
      job.id,
      TrainingJobStatus.SUCCEEDED,
      { progress: 1, finishedAt: now, error: null },
      { where: { attempts: done.attempt } },
    );
    if (!ended) return undefined;
    const updated = await db.modelVersion.updateMany({
      where: {
        id: version.id,
        status: { in: [ModelVersionStatus.TRAINING, ModelVersionStatus.CALIBRATING] },
      },
      data: {
        status: ModelVersionStatus.READY,
        statsKey: done.statsKey,
        detectorKey: done.detectorKey,
        trainedImageCount: done.trainedImageCount,
        metrics: done.metrics as Prisma.InputJsonValue,
        readyAt: now,
      },
    });
    if (updated.count === 0) throw new TrainingError('the version left training meanwhile');
    const c = done.calibrated;
    const threshold = await db.threshold.create({
      data: {
        organizationId: job.organizationId,
        modelVersionId: version.id,
        value: c.value,
        method: c.method,
        targetFalseAlarmRate: c.targetFalseAlarmRate,
        calibration: c.calibration,
        note: 'calibrated by the training job',
      },
    });
    if (done.reviewIds.length > 0)
      await db.review.updateMany({
        where: { id: { in: done.reviewIds }, absorbedIntoVersionId: null },
        data: { absorbedIntoVersionId: version.id },
      });
    // The first version of a product model, or a fold of the active one, answers inspections.
    const product = await db.productModel.findFirst({
      where: { id: version.productModelId },
      select: { activeVersionId: true },
    });
    const promoted = await db.productModel.updateMany({
      where: {
        id: version.productModelId,
        OR: [
          { activeVersionId: null },
          ...(version.parentVersionId ? [{ activeVersionId: version.parentVersionId }] : []),
        ],
      },
      data: { activeVersionId: version.id },
    });
    const promote = promoted.count > 0;
    await recordAudit(db, SYSTEM_ACTOR, {
      organizationId: job.organizationId,
      action: 'model_version.ready',
      targetType: 'ModelVersion',
      targetId: version.id,
      data: {
        trainingJobId: job.id,
        kind: job.kind,
        thresholdId: threshold.id,
        thresholdMethod: c.method,
        thresholdValue: c.value,
        promoted: promote,
        previousActiveVersionId: product?.activeVersionId ?? null,
        absorbedReviews: done.reviewIds.length,
      },
    });
    return recordWebhookEvent(db, job.organizationId, 'model.ready', {
      modelVersionId: version.id,
      productModelId: version.productModelId,
      version: version.version,
      threshold: c.value,
      thresholdMethod: c.method,
      promoted: promote,
    });
  });
  if (deliveries === undefined) return false;
  await enqueueOutbox(deps, job.organizationId, deliveries);
  return true;
}
