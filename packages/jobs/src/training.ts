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
 * the version's status, so a job that somehow runs twice still makes one READY version.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeAccumulator,
  decodeModelFile,
  encodeAccumulator,
  type GaussianAccumulator,
  type PadimModelFile,
} from '@padim/core';
import type { Prisma } from '@padim/db';
import {
  ModelVersionStatus,
  ThresholdMethod,
  TrainingJobKind,
  TrainingJobStatus,
  forTenant,
  type ModelVersion,
  type PrismaClient,
  type TrainingJob,
} from '@padim/db';
import {
  QUEUES,
  type JobContext,
  type QueueWorker,
  type TrainingJobPayload,
  type TrainingPhase,
} from '@padim/queue';
import { ensurePretrainedWeights } from '@padim/inference';
import { ImageError, preprocessMask } from '@padim/inference';
import {
  CalibrationError,
  DEFAULT_FALSE_ALARM_RATE,
  calibrateThreshold,
  f1Threshold,
  splitHoldout,
  type FalseAlarmCalibration,
} from '@padim/inference';
import { Detector } from '@padim/inference';
import { computeMetrics, type LabelledMap } from '@padim/inference';
import { FeatureExtractor, type BackboneConfig, type BuiltinBackbone } from '@padim/inference';
import { FitCancelledError, fitPadim, type FitResult, type ImageSource } from '@padim/inference';
import { STATS_FILE, saveModelDir } from '@padim/inference';
import { ObjectStoreErrorCode, isObjectStoreError } from '@padim/storage';
import { ACCUMULATOR_FILE, artifactKey, uploadModelDir, type VersionRef } from './artifacts.js';
import { errorText, publish, type WorkerDeps } from './context.js';
import { enqueueWebhookDeliveries, recordWebhookEvent } from './webhooks.js';

export const DEFAULT_HOLDOUT_FRACTION = 0.1;
/** Version statuses a training job may move on from (never back from FAILED or READY). */
const IN_PROGRESS: ModelVersionStatus[] = [
  ModelVersionStatus.DRAFT,
  ModelVersionStatus.QUEUED,
  ModelVersionStatus.TRAINING,
  ModelVersionStatus.CALIBRATING,
];
const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** Progress is written to the job row at most this often (events go out more often). */
const DB_PROGRESS_INTERVAL_MS = 1000;
const EVENT_PROGRESS_INTERVAL_MS = 200;

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
interface VersionMetrics {
  readonly [key: string]: Prisma.InputJsonValue | null;
}

/** A failure that retrying cannot fix (bad data, missing weights): the job fails at once. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

const PHASE_SPAN: Record<TrainingPhase, [number, number]> = {
  queued: [0, 0],
  loading: [0, 0.02],
  fitting: [0.02, 0.85],
  calibrating: [0.85, 0.95],
  saving: [0.95, 0.99],
  done: [1, 1],
};

function storeSource(deps: WorkerDeps, keys: readonly string[]): ImageSource {
  return { count: keys.length, read: (i) => deps.store.get(keys[i]!) };
}

function asRecord(value: Prisma.JsonValue | null): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Publishes progress events (throttled) and writes the job row's progress (more throttled). */
class ProgressReporter {
  private lastDb = 0;
  private lastEvent = 0;
  private fitStart = 0;
  private fitStartDone = 0;
  private lastPhase: TrainingPhase | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly job: TrainingJob,
    private readonly version: ModelVersion,
  ) {}

  async report(
    phase: TrainingPhase,
    done: number,
    total: number,
    options: { force?: boolean; status?: TrainingJobStatus; error?: string | null } = {},
  ): Promise<void> {
    const [lo, hi] = PHASE_SPAN[phase];
    const progress = total > 0 ? lo + ((hi - lo) * Math.min(done, total)) / total : lo;
    const now = Date.now();
    let eta: number | null = null;
    if (phase === 'fitting') {
      if (this.fitStart === 0) {
        this.fitStart = now;
        this.fitStartDone = done;
      } else if (done > this.fitStartDone) {
        const rate = (done - this.fitStartDone) / (now - this.fitStart);
        // The rest of the fit, plus calibration and saving at the fit's pace (a rough share).
        eta = Math.round(
          ((total - done) / rate + ((now - this.fitStart) / done) * 0.2 * total) / 1000,
        );
      }
    }
    const status = options.status ?? TrainingJobStatus.RUNNING;
    if (options.force || now - this.lastDb >= DB_PROGRESS_INTERVAL_MS) {
      this.lastDb = now;
      // Progress is advisory: a failed write is logged, never fatal (report runs unawaited).
      await forTenant(this.deps.prisma, this.job.organizationId)
        .trainingJob.updateMany({
          where: { id: this.job.id, status: TrainingJobStatus.RUNNING },
          data: { progress },
        })
        .catch((error: unknown) => this.deps.log?.(`progress write failed: ${errorText(error)}`));
    }
    // The first report of each phase always goes out; then at most one per interval.
    if (
      options.force ||
      phase !== this.lastPhase ||
      now - this.lastEvent >= EVENT_PROGRESS_INTERVAL_MS
    ) {
      this.lastEvent = now;
      this.lastPhase = phase;
      await publish(this.deps, {
        type: 'training.progress',
        organizationId: this.job.organizationId,
        productModelId: this.version.productModelId,
        modelVersionId: this.version.id,
        trainingJobId: this.job.id,
        status,
        phase,
        done,
        total,
        progress,
        etaSeconds: eta,
        error: options.error ?? null,
      });
    }
  }
}

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

/** The backbone a version names: seeded random-init when it records no weights hash. */
async function backboneFor(deps: WorkerDeps, version: ModelVersion): Promise<BackboneConfig> {
  const kind = version.backbone as BuiltinBackbone;
  if (kind !== 'resnet18' && kind !== 'wide_resnet50_2')
    throw new TrainingError(`backbone ${version.backbone} cannot be trained by the worker`);
  const layers = version.layers.map((l) => Number(/^layer(\d)$/.exec(l)?.[1] ?? NaN));
  if (layers.some((l) => !Number.isInteger(l)))
    throw new TrainingError(`unsupported layers ${version.layers.join(', ')}`);
  if (!version.weightsSha256) return { kind, randomSeed: version.seed, layers };
  let weightsPath: string;
  try {
    weightsPath = await ensurePretrainedWeights(kind, {
      ...(deps.weightsCacheDir ? { cacheDir: deps.weightsCacheDir } : {}),
    });
  } catch (error) {
    throw new TrainingError(errorText(error));
  }
  return { kind, weightsPath, layers };
}

interface Built {
  readonly dir: string;
  readonly fit: FitResult;
}

/** Saves the model folder (statistics, detector, manifest) plus the accumulator file. */
async function buildModelDir(
  deps: WorkerDeps,
  extractor: FeatureExtractor,
  fit: FitResult,
  dir: string,
): Promise<Built> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const detector = extractor.buildDetector(fit.model, fit.taps, fit.imageSize);
  await saveModelDir(
    dir,
    {
      model: fit.model,
      taps: fit.taps,
      imageSize: fit.imageSize,
      normalization: extractor.description.normalization,
    },
    detector,
  );
  await writeFile(join(dir, ACCUMULATOR_FILE), encodeAccumulator(fit.accumulator.state()));
  return { dir, fit };
}

interface Calibrated {
  readonly method: ThresholdMethod;
  readonly value: number;
  readonly targetFalseAlarmRate: number | null;
  readonly calibration: Prisma.InputJsonValue;
  readonly metrics: VersionMetrics;
}

interface LabelledImage {
  readonly key: string;
  readonly maskKey: string | null;
}

/**
 * The threshold: for the target false-alarm rate on held-out normals; F1-optimal over held-out
 * normals and defect images when there are defects (the FAR numbers are kept beside it). Never
 * sees a training image; scores are never normalised against the test set.
 */
async function calibrate(
  deps: WorkerDeps,
  dir: string,
  heldOutKeys: readonly string[],
  defects: readonly LabelledImage[],
  target: number,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<Calibrated> {
  const detector = await Detector.open(dir, deps.runtime ?? {});
  try {
    const total = heldOutKeys.length + defects.length;
    const far: FalseAlarmCalibration = await calibrateThreshold(
      detector,
      storeSource(deps, heldOutKeys),
      {
        targetFalseAlarmRate: target,
        batchSize: deps.batchSize ?? 8,
        onProgress: (d) => void onProgress(d, total),
      },
    );
    const farBlock = {
      targetFalseAlarmRate: far.targetFalseAlarmRate,
      achievedFalseAlarmRate: far.achievedFalseAlarmRate,
      heldOut: far.heldOut,
      normalScores: [...far.normalScores],
      histogram: { edges: [...far.histogram.edges], counts: [...far.histogram.counts] },
      falseAlarmRateThreshold: far.value,
    };
    if (defects.length === 0) {
      return {
        method: ThresholdMethod.FALSE_ALARM_RATE,
        value: far.value,
        targetFalseAlarmRate: target,
        calibration: farBlock,
        metrics: {},
      };
    }
    // Defect images: scores for F1 and AUROC; maps against masks for pixel AUROC and PRO.
    const size = detector.loaded.manifest.imageSize;
    const items: LabelledMap[] = [];
    const keys = [...heldOutKeys.map((key) => ({ key, maskKey: null })), ...defects];
    for (let i = 0; i < keys.length; i += deps.batchSize ?? 8) {
      const chunk = keys.slice(i, i + (deps.batchSize ?? 8));
      const bytes = await Promise.all(chunk.map((k) => deps.store.get(k.key)));
      const scored = await detector.scoreImages(bytes);
      for (let j = 0; j < chunk.length; j++) {
        const isDefect = i + j >= heldOutKeys.length;
        const maskKey = chunk[j]!.maskKey;
        const mask =
          isDefect && maskKey
            ? await preprocessMask(await deps.store.get(maskKey), detector.preprocessOptions)
            : undefined;
        items.push({
          type: isDefect ? 'defect' : 'good',
          stem: chunk[j]!.key,
          score: scored.scores[j]!,
          map: scored.maps.slice(j * size * size, (j + 1) * size * size),
          mask,
        });
      }
      await onProgress(Math.min(i + chunk.length, total), total);
    }
    const scores = items.map((it) => it.score);
    const labels = items.map((it) => (it.type === 'good' ? 0 : 1));
    const f1 = f1Threshold(scores, labels);
    const m = computeMetrics(
      items.filter((it) => it.type === 'good' || it.mask !== undefined),
      size,
    );
    const imageOnly = computeMetrics(
      items.map((it) => ({ ...it, mask: undefined })),
      size,
    );
    // f1OptimalThreshold flags score >= value; the platform's rule is score > value. The largest
    // float below the F1 value keeps the same decisions under the platform's rule.
    const value = f1.value > 0 ? f1.value * (1 - Number.EPSILON) : f1.value;
    return {
      method: ThresholdMethod.F1_OPTIMAL,
      value,
      targetFalseAlarmRate: null,
      calibration: {
        ...farBlock,
        f1: f1.f1,
        precision: f1.precision,
        recall: f1.recall,
        defectImages: defects.length,
        defectScores: items.filter((it) => it.type !== 'good').map((it) => it.score),
      },
      metrics: {
        imageAuroc: imageOnly.imageAuroc,
        pixelAuroc: defects.some((d) => d.maskKey) ? m.pixelAuroc : null,
        pro: defects.some((d) => d.maskKey) ? m.pro : null,
        evaluatedImages: items.length,
      },
    };
  } finally {
    await detector.release();
  }
}

async function loadJob(
  deps: WorkerDeps,
  payload: TrainingJobPayload,
): Promise<{ db: PrismaClient; job: TrainingJob; version: ModelVersion } | undefined> {
  const db = forTenant(deps.prisma, payload.organizationId);
  const job = await db.trainingJob.findFirst({ where: { id: payload.trainingJobId } });
  if (!job) return undefined;
  const version = await db.modelVersion.findFirst({ where: { id: job.modelVersionId } });
  if (!version) return undefined;
  return { db, job, version };
}

async function loadCheckpoint(
  deps: WorkerDeps,
  ref: VersionRef,
): Promise<{ accumulator: GaussianAccumulator; imagesDone: number } | undefined> {
  const key = artifactKey(ref, CHECKPOINT_FILE);
  if (!(await deps.store.exists(key))) return undefined;
  try {
    const { accumulator, metadata } = decodeAccumulator(await deps.store.get(key));
    const imagesDone = Number(metadata.images_done);
    if (!Number.isInteger(imagesDone) || imagesDone !== accumulator.count) return undefined;
    return { accumulator, imagesDone };
  } catch {
    return undefined; // a damaged checkpoint: start over
  }
}

/** The FULL fit: snapshot images from the store, held-out split, checkpoints. */
async function fullFit(
  deps: WorkerDeps,
  db: PrismaClient,
  job: TrainingJob,
  version: ModelVersion,
  ref: VersionRef,
  extractor: FeatureExtractor,
  progress: ProgressReporter,
  signal: AbortSignal,
): Promise<{
  fit: FitResult;
  heldOutKeys: string[];
  heldOutIds: string[];
  defects: LabelledImage[];
  options: FullTrainingOptions;
}> {
  if (!version.snapshotId) throw new TrainingError('the version names no dataset snapshot');
  const options = asRecord(job.options) as FullTrainingOptions;
  const members = await db.datasetSnapshotImage.findMany({
    where: { snapshotId: version.snapshotId },
    select: { imageId: true, label: true, image: { select: { objectKey: true, maskKey: true } } },
    orderBy: { imageId: 'asc' },
  });
  const normals = members.filter((m) => m.label !== 'DEFECT');
  const defects = members
    .filter((m) => m.label === 'DEFECT')
    .map((m) => ({ key: m.image.objectKey, maskKey: m.image.maskKey }));
  const holdout = options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION;
  let split;
  try {
    split = splitHoldout(normals.length, holdout, version.seed);
  } catch (error) {
    throw new TrainingError(
      `the snapshot has ${normals.length} normal (GOOD or UNKNOWN) images: ${errorText(error)}`,
    );
  }
  if (split.heldOut.length === 0)
    throw new TrainingError('calibration needs held-out normal images (holdoutFraction > 0)');
  const fitKeys = split.fit.map((i) => normals[i]!.image.objectKey);
  const resume = await loadCheckpoint(deps, ref);
  if (resume) deps.log?.(`training ${job.id}: resuming after ${resume.imagesDone} images`);
  const fit = await fitPadim(extractor, storeSource(deps, fitKeys), {
    reduction: { kind: 'random', d: version.d, seed: version.seed },
    protocol: version.protocol === 'STC' ? 'stc' : 'mvtec',
    eps: version.eps,
    batchSize: deps.batchSize ?? 8,
    signal,
    onProgress: (p) => {
      if (p.phase === 'gaussian') void progress.report('fitting', p.done, p.total);
    },
    checkpointEvery: deps.checkpointEvery ?? 10,
    checkpoint: async (acc, imagesDone) => {
      const bytes = encodeAccumulator(acc.state(), { images_done: String(imagesDone) });
      await deps.store.put(artifactKey(ref, CHECKPOINT_FILE), bytes, {
        contentType: 'application/octet-stream',
      });
    },
    ...(resume ? { resume } : {}),
  });
  return {
    fit,
    heldOutKeys: split.heldOut.map((i) => normals[i]!.image.objectKey),
    heldOutIds: split.heldOut.map((i) => normals[i]!.imageId),
    defects,
    options,
  };
}

/** The INCREMENTAL fold: the parent's accumulator plus the reviewed false positives. */
async function foldFit(
  deps: WorkerDeps,
  db: PrismaClient,
  job: TrainingJob,
  version: ModelVersion,
  extractor: FeatureExtractor,
  signal: AbortSignal,
): Promise<{
  fit: FitResult;
  heldOutKeys: string[];
  heldOutIds: string[];
  defects: LabelledImage[];
  reviewIds: string[];
  target: number;
}> {
  const parentId = version.parentVersionId;
  if (!parentId) throw new TrainingError('an incremental version needs a parent version');
  const parent = await db.modelVersion.findFirst({ where: { id: parentId } });
  if (!parent || parent.status !== ModelVersionStatus.READY)
    throw new TrainingError('the parent version is not READY');
  const reviewIds = [...((asRecord(job.options) as Partial<FoldOptions>).reviewIds ?? [])];
  // Only reviews that still say "normal" and were not folded in elsewhere meanwhile.
  const reviews = await db.review.findMany({
    where: { id: { in: reviewIds }, verdict: 'GOOD', absorbedIntoVersionId: null },
    select: { id: true, inspection: { select: { imageKey: true } } },
    orderBy: { id: 'asc' },
  });
  if (reviews.length === 0) throw new TrainingError('no reviews to fold in');
  const parentRef: VersionRef = {
    organizationId: parent.organizationId,
    productModelId: parent.productModelId,
    modelVersionId: parent.id,
  };
  const accumulatorKey = artifactKey(parentRef, ACCUMULATOR_FILE);
  if (!(await deps.store.exists(accumulatorKey)))
    throw new TrainingError('the parent version has no accumulator to fold into');
  const { accumulator } = decodeAccumulator(await deps.store.get(accumulatorKey));
  const fit = await fitPadim(
    extractor,
    storeSource(
      deps,
      reviews.map((r) => r.inspection.imageKey),
    ),
    {
      reduction: { kind: 'random', d: parent.d, seed: parent.seed },
      protocol: parent.protocol === 'STC' ? 'stc' : 'mvtec',
      eps: parent.eps,
      batchSize: deps.batchSize ?? 8,
      signal,
      resume: { accumulator, imagesDone: 0 },
    },
  );
  // Folding is only sound in the parent's embedding: the same channels, the same grid.
  const parentModel: PadimModelFile = decodeModelFile(
    await deps.store.get(artifactKey(parentRef, STATS_FILE)),
  );
  const a = parentModel.reduction;
  const b = fit.model.reduction;
  const same =
    a.kind === 'random' &&
    b.kind === 'random' &&
    a.indices.length === b.indices.length &&
    a.indices.every((v, i) => v === b.indices[i]);
  if (!same) throw new TrainingError('the fold would change the embedding channels');
  const metrics = asRecord(parent.metrics);
  const heldOutIds = Array.isArray(metrics.holdoutImageIds)
    ? (metrics.holdoutImageIds as string[])
    : [];
  const heldOut = await db.datasetImage.findMany({
    where: { id: { in: heldOutIds } },
    select: { id: true, objectKey: true },
    orderBy: { id: 'asc' },
  });
  if (heldOut.length === 0)
    throw new TrainingError('the parent version has no held-out normal images to calibrate on');
  // Confirmed defects of this product model: labelled samples for the F1 threshold.
  const confirmed = await db.review.findMany({
    where: { verdict: 'DEFECT', inspection: { productModelId: version.productModelId } },
    select: { inspection: { select: { imageKey: true } } },
    orderBy: { id: 'asc' },
  });
  const parentThreshold = await db.threshold.findFirst({
    where: { modelVersionId: parent.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return {
    fit,
    heldOutKeys: heldOut.map((h) => h.objectKey),
    heldOutIds: heldOut.map((h) => h.id),
    defects: confirmed.map((c) => ({ key: c.inspection.imageKey, maskKey: null })),
    reviewIds: reviews.map((r) => r.id),
    target: parentThreshold?.targetFalseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE,
  };
}

/** Marks the job (and version) as ended without a model: FAILED or CANCELLED. */
async function endWithout(
  deps: WorkerDeps,
  job: TrainingJob,
  version: ModelVersion,
  status: 'FAILED' | 'CANCELLED',
  error: string,
  attempt: number,
): Promise<void> {
  const ended = await forTenant(deps.prisma, job.organizationId).$transaction(async (db) => {
    const updated = await db.trainingJob.updateMany({
      where: {
        id: job.id,
        status: { in: [TrainingJobStatus.QUEUED, TrainingJobStatus.RUNNING] },
      },
      data: { status, error, attempts: attempt, finishedAt: new Date() },
    });
    if (updated.count === 0) return undefined;
    await db.modelVersion.updateMany({
      where: { id: version.id, status: { not: ModelVersionStatus.READY } },
      data: { status: ModelVersionStatus.FAILED },
    });
    await db.auditEvent.create({
      data: {
        organizationId: job.organizationId,
        actorType: 'SYSTEM',
        actorLabel: 'worker',
        action: status === 'FAILED' ? 'training.failed' : 'training.cancelled',
        targetType: 'ModelVersion',
        targetId: version.id,
        data: { trainingJobId: job.id, error, attempts: attempt },
      },
    });
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
  await enqueueWebhookDeliveries(deps.queue, job.organizationId, ended, {
    ...(deps.webhookBackoffMs !== undefined ? { backoffMs: deps.webhookBackoffMs } : {}),
  }).catch((error: unknown) => deps.log?.(`webhook enqueue failed: ${errorText(error)}`));
  await publish(deps, {
    type: 'training.progress',
    organizationId: job.organizationId,
    productModelId: version.productModelId,
    modelVersionId: version.id,
    trainingJobId: job.id,
    status,
    phase: 'done',
    done: 0,
    total: 0,
    progress: 1,
    etaSeconds: 0,
    error,
  });
}

export async function runTrainingJob(
  deps: WorkerDeps,
  ctx: Pick<JobContext<TrainingJobPayload>, 'payload' | 'attempt' | 'signal'>,
): Promise<{ modelVersionId: string; status: string }> {
  const loaded = await loadJob(deps, ctx.payload);
  if (!loaded) return { modelVersionId: '', status: 'MISSING' };
  const { db, job, version } = loaded;
  // Exactly once: a job that already ended (or whose version is READY) does nothing again.
  if (
    job.status === TrainingJobStatus.SUCCEEDED ||
    job.status === TrainingJobStatus.CANCELLED ||
    job.status === TrainingJobStatus.FAILED ||
    version.status === ModelVersionStatus.READY
  )
    return { modelVersionId: version.id, status: job.status };
  const ref: VersionRef = {
    organizationId: job.organizationId,
    productModelId: version.productModelId,
    modelVersionId: version.id,
  };
  // Claim the job for this attempt; a job cancelled or ended meanwhile is left alone.
  const claimed = await db.trainingJob.updateMany({
    where: { id: job.id, status: { in: [TrainingJobStatus.QUEUED, TrainingJobStatus.RUNNING] } },
    data: {
      status: TrainingJobStatus.RUNNING,
      attempts: ctx.attempt,
      startedAt: job.startedAt ?? new Date(),
      error: null,
    },
  });
  if (claimed.count === 0) return { modelVersionId: version.id, status: 'ENDED' };
  await db.modelVersion.updateMany({
    where: { id: version.id, status: { in: IN_PROGRESS } },
    data: { status: ModelVersionStatus.TRAINING },
  });
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
      await publish(deps, {
        type: 'training.progress',
        organizationId: job.organizationId,
        productModelId: version.productModelId,
        modelVersionId: version.id,
        trainingJobId: job.id,
        status: 'SUCCEEDED',
        phase: 'done',
        done: 1,
        total: 1,
        progress: 1,
        etaSeconds: 0,
        error: null,
      });
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
    await db.trainingJob.updateMany({
      where: { id: job.id, status: TrainingJobStatus.RUNNING },
      data: { error: `attempt ${ctx.attempt} failed: ${message}` },
    });
    throw error;
  } finally {
    await extractor?.release();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One transaction: the version becomes READY with its artifacts, its calibrated threshold row,
 * the folded reviews' lineage, the job's end, an audit event and the model.ready outbox rows.
 * Guarded by the version's status: false when another run committed first (nothing is written).
 */
async function commitReady(
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
    const ended = await db.trainingJob.updateMany({
      where: { id: job.id, status: TrainingJobStatus.RUNNING, attempts: done.attempt },
      data: {
        status: TrainingJobStatus.SUCCEEDED,
        progress: 1,
        finishedAt: now,
        error: null,
      },
    });
    if (ended.count === 0) return undefined;
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
    await db.auditEvent.create({
      data: {
        organizationId: job.organizationId,
        actorType: 'SYSTEM',
        actorLabel: 'worker',
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
  await enqueueWebhookDeliveries(deps.queue, job.organizationId, deliveries, {
    ...(deps.webhookBackoffMs !== undefined ? { backoffMs: deps.webhookBackoffMs } : {}),
  }).catch((error: unknown) => deps.log?.(`webhook enqueue failed: ${errorText(error)}`));
  return true;
}

export function registerTrainingWorker(
  deps: WorkerDeps,
  options: { readonly concurrency?: number; readonly lockMs?: number } = {},
): Promise<QueueWorker> {
  return deps.queue.worker<TrainingJobPayload>(
    QUEUES.training,
    async (job) => runTrainingJob(deps, job),
    {
      concurrency: options.concurrency ?? 1,
      ...(options.lockMs ? { lockMs: options.lockMs } : {}),
    },
  );
}
