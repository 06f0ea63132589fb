/**
 * The inspection job: one Inspection row scored and written exactly once.
 *
 * The API created the row (PENDING) with the image already in the object store and the model
 * version chosen; the worker scores it with the cached detector of that version against the
 * threshold in force, stores the heatmap PNG, and completes the row in one guarded update
 * (status PENDING or PROCESSING -> COMPLETED) together with the webhook outbox rows. A retried or
 * duplicated job finds the row completed and writes nothing. Before writing, the worker re-checks
 * that the version is still READY and still the one the row names.
 */
import { InspectionStatus, ModelVersionStatus, Verdict, forTenant, type Prisma } from '@padim/db';
import { QUEUES, type InspectionJobPayload, type JobContext, type QueueWorker } from '@padim/queue';
import { tenantKey } from '@padim/storage';
import { ImageError } from '@padim/inference';
import { consume, enqueueOutbox, errorText, publish, type WorkerDeps } from './context.js';
import { scoreImage } from './scoring.js';
import { INSPECTION_ATTEMPTS } from './rules/enqueue.js';
import { parseInspectionPayload } from './rules/payloads.js';
import { currentThreshold } from './rules/versions.js';
import { recordWebhookEvent } from './webhooks.js';

/** Where an inspection's heatmap lives. */
export function heatmapKey(organizationId: string, inspectionId: string): string {
  return tenantKey(organizationId, 'inspections', inspectionId, 'heatmap.png');
}

/** A failure retrying cannot fix: the row is marked FAILED at once. */
class FinalInspectionError extends Error {}

async function fail(
  deps: WorkerDeps,
  payload: InspectionJobPayload,
  row: { productModelId: string; modelVersionId: string },
  error: string,
): Promise<void> {
  const db = forTenant(deps.prisma, payload.organizationId);
  const updated = await db.inspection.updateMany({
    where: {
      id: payload.inspectionId,
      status: { in: [InspectionStatus.PENDING, InspectionStatus.PROCESSING] },
    },
    data: { status: InspectionStatus.FAILED, error, completedAt: new Date() },
  });
  if (updated.count === 0) return;
  await publish(deps, {
    type: 'inspection.completed',
    organizationId: payload.organizationId,
    productModelId: row.productModelId,
    modelVersionId: row.modelVersionId,
    inspectionId: payload.inspectionId,
    status: 'FAILED',
    score: null,
    verdict: null,
    flagged: false,
  });
}

export async function runInspectionJob(
  deps: WorkerDeps,
  ctx: Pick<JobContext<InspectionJobPayload>, 'payload' | 'attempt'>,
): Promise<{ status: string }> {
  const { payload } = ctx;
  const db = forTenant(deps.prisma, payload.organizationId);
  const row = await db.inspection.findFirst({ where: { id: payload.inspectionId } });
  if (!row) return { status: 'MISSING' };
  if (row.status === InspectionStatus.COMPLETED || row.status === InspectionStatus.FAILED)
    return { status: row.status };
  try {
    const version = await db.modelVersion.findFirst({ where: { id: row.modelVersionId } });
    if (!version || version.status !== ModelVersionStatus.READY)
      throw new FinalInspectionError('the model version is not READY');
    await db.inspection.updateMany({
      where: { id: row.id, status: InspectionStatus.PENDING },
      data: { status: InspectionStatus.PROCESSING },
    });
    const threshold = await currentThreshold(db, version.id);
    const bytes = await deps.store.get(row.imageKey);
    const lease = await deps.cache.acquire({
      organizationId: payload.organizationId,
      productModelId: version.productModelId,
      modelVersionId: version.id,
    });
    let result: Awaited<ReturnType<typeof scoreImage>>;
    try {
      result = await scoreImage(lease.detector, bytes, threshold?.value ?? null);
    } finally {
      lease.release();
    }
    const mapKey = heatmapKey(payload.organizationId, row.id);
    await deps.store.put(mapKey, result.heatmapPng, { contentType: 'image/png' });
    const verdict =
      result.verdict === 'DEFECT'
        ? Verdict.DEFECT
        : result.verdict === 'GOOD'
          ? Verdict.GOOD
          : null;
    const flagged = verdict === Verdict.DEFECT;
    const deliveries = await db.$transaction(async (tx) => {
      // The version may have been archived or deleted while the image was scored.
      const still = await tx.modelVersion.findFirst({
        where: { id: version.id, status: ModelVersionStatus.READY },
        select: { id: true },
      });
      if (!still) throw new FinalInspectionError('the model version changed while scoring');
      const done = await tx.inspection.updateMany({
        where: {
          id: row.id,
          modelVersionId: version.id,
          status: { in: [InspectionStatus.PENDING, InspectionStatus.PROCESSING] },
          modelVersion: { status: ModelVersionStatus.READY },
        },
        data: {
          status: InspectionStatus.COMPLETED,
          score: result.score,
          verdict,
          regions: result.regions as unknown as Prisma.InputJsonValue,
          mapKey,
          thresholdId: threshold?.id ?? null,
          thresholdValue: threshold?.value ?? null,
          imageWidth: result.width,
          imageHeight: result.height,
          heatmapMin: result.scale.min,
          heatmapMax: result.scale.max,
          error: null,
          completedAt: new Date(),
        },
      });
      if (done.count === 0) return undefined;
      const data = {
        inspectionId: row.id,
        productModelId: row.productModelId,
        modelVersionId: version.id,
        score: result.score,
        verdict,
        threshold: threshold?.value ?? null,
        regions: result.regions.length,
        source: row.source,
        batchId: row.batchId,
      };
      const created = await recordWebhookEvent(
        tx,
        payload.organizationId,
        'inspection.created',
        data,
      );
      const flaggedIds = flagged
        ? await recordWebhookEvent(tx, payload.organizationId, 'inspection.flagged', data)
        : [];
      return [...created, ...flaggedIds];
    });
    if (deliveries === undefined) return { status: 'ALREADY_WRITTEN' };
    // Committed: a failed enqueue is left to the sweeper (the delivery rows are PENDING).
    await enqueueOutbox(deps, payload.organizationId, deliveries);
    await publish(deps, {
      type: 'inspection.completed',
      organizationId: payload.organizationId,
      productModelId: row.productModelId,
      modelVersionId: version.id,
      inspectionId: row.id,
      status: 'COMPLETED',
      score: result.score,
      verdict,
      flagged,
    });
    return { status: 'COMPLETED' };
  } catch (error) {
    const final =
      error instanceof FinalInspectionError ||
      error instanceof ImageError ||
      ctx.attempt >= INSPECTION_ATTEMPTS;
    if (!final) throw error;
    const message =
      error instanceof ImageError ? `${error.code}: ${error.message}` : errorText(error);
    await fail(deps, payload, row, message);
    return { status: 'FAILED' };
  }
}

export function registerInspectionWorker(
  deps: WorkerDeps,
  options: { readonly concurrency?: number; readonly lockMs?: number } = {},
): Promise<QueueWorker> {
  return consume(
    deps,
    QUEUES.inspection,
    parseInspectionPayload,
    (ctx) => runInspectionJob(deps, ctx),
    { concurrency: 1, ...options },
  );
}
