/**
 * Fitting: the FULL fit (snapshot images streamed from the store, a seeded held-out split,
 * checkpoints a retried attempt resumes from) and the INCREMENTAL fold (the parent's accumulator
 * plus reviewed false positives), then the model folder the detector is built into.
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
import {
  ModelVersionStatus,
  type ModelVersion,
  type PrismaClient,
  type TrainingJob,
} from '@padim/db';
import type { FeatureExtractor } from '@padim/inference';
import {
  DEFAULT_FALSE_ALARM_RATE,
  STATS_FILE,
  ensurePretrainedWeights,
  fitPadim,
  saveModelDir,
  splitHoldout,
  type BackboneConfig,
  type BuiltinBackbone,
  type FitResult,
} from '@padim/inference';
import { ACCUMULATOR_FILE, artifactKey, type VersionRef } from '../artifacts.js';
import { errorText, type WorkerDeps } from '../context.js';
import type { ProgressReporter } from './progress.js';
import {
  DEFAULT_HOLDOUT_FRACTION,
  TrainingError,
  asRecord,
  storeSource,
  type FoldOptions,
  type FullTrainingOptions,
  type LabelledImage,
} from './shared.js';

/** The accumulator a running fit checkpoints to (deleted once the job ends). */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** The backbone a version names: seeded random-init when it records no weights hash. */
export async function backboneFor(
  deps: WorkerDeps,
  version: ModelVersion,
): Promise<BackboneConfig> {
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
export async function buildModelDir(
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
export async function fullFit(
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
export async function foldFit(
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
