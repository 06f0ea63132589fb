/**
 * The worker's training and inspection jobs against real PostgreSQL, a filesystem object store,
 * the in-process queue and bus, and the real onnxruntime (seeded random-init ResNet18, 64 px parts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrismaClient } from '@padim/db';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import {
  InProcessEventBus,
  InProcessQueue,
  QUEUES,
  eventChannel,
  inspectionQueueJobId,
  trainingQueueJobId,
  type JsonValue,
  type PlatformEvent,
} from '@padim/queue';
import { FsObjectStore, tenantKey } from '@padim/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelCache,
  encodePng,
  runInspectionJob,
  runTrainingJob,
  sweepLostJobs,
  synthImage,
  type WorkerDeps,
} from './helpers/api.js';

const SIZE = 64;
let pg: FreshPostgres;
let prisma: PrismaClient;
let deps: WorkerDeps;
const events: PlatformEvent[] = [];
let org: string;
let productModelId: string;
let datasetId: string;

async function png(seed: number, defect?: 'missing' | 'spot'): Promise<Uint8Array> {
  const img = synthImage(SIZE, seed, defect);
  return encodePng(img.rgb, img.width, img.height);
}

async function addImages(count: number, seed0: number, label: 'GOOD' | 'DEFECT'): Promise<void> {
  for (let i = 0; i < count; i++) {
    const key = tenantKey(org, 'datasets', datasetId, `${label}-${seed0 + i}.png`);
    await deps.store.put(key, await png(seed0 + i, label === 'DEFECT' ? 'missing' : undefined), {
      contentType: 'image/png',
    });
    await prisma.datasetImage.create({
      data: {
        organizationId: org,
        datasetId,
        objectKey: key,
        sha256: `${label}-${seed0 + i}`,
        width: SIZE,
        height: SIZE,
        bytes: 1,
        contentType: 'image/png',
        label,
      },
    });
  }
}

async function snapshot(): Promise<string> {
  const images = await prisma.datasetImage.findMany({ where: { datasetId } });
  const snap = await prisma.datasetSnapshot.create({
    data: { organizationId: org, datasetId, imageCount: images.length },
  });
  await prisma.datasetSnapshotImage.createMany({
    data: images.map((i) => ({
      organizationId: org,
      snapshotId: snap.id,
      imageId: i.id,
      label: i.label,
    })),
  });
  return snap.id;
}

let versionNumber = 0;
async function newJob(
  snapshotId: string,
  options: Record<string, number> = {},
): Promise<{ jobId: string; versionId: string }> {
  const version = await prisma.modelVersion.create({
    data: {
      organizationId: org,
      productModelId,
      version: ++versionNumber,
      status: 'QUEUED',
      backbone: 'resnet18',
      layers: ['layer1', 'layer2', 'layer3'],
      d: 24,
      seed: 3,
      imageSize: 224,
      snapshotId,
    },
  });
  const job = await prisma.trainingJob.create({
    data: {
      organizationId: org,
      modelVersionId: version.id,
      idempotencyKey: `k-${version.id}`,
      options: { holdoutFraction: 0.25, ...options },
    },
  });
  return { jobId: job.id, versionId: version.id };
}

/**
 * Image AUROC by its definition (the Mann-Whitney statistic), independent of the metrics code:
 * the share of (defect, normal) pairs that the scores order correctly, a tie counting half.
 */
function pairwiseAuroc(normal: readonly number[], defect: readonly number[]): number {
  let correct = 0;
  for (const d of defect) for (const n of normal) correct += d > n ? 1 : d === n ? 0.5 : 0;
  return correct / (normal.length * defect.length);
}

const ctx = (trainingJobId: string, attempt = 1, signal = new AbortController().signal) => ({
  payload: { organizationId: org, trainingJobId },
  attempt,
  signal,
});

beforeAll(async () => {
  pg = await freshPostgres('padim_worker');
  prisma = pg.database.prisma;
  const dir = mkdtempSync(join(tmpdir(), 'padim-jobs-'));
  const store = await FsObjectStore.open({ root: join(dir, 'objects') });
  const bus = new InProcessEventBus();
  deps = {
    prisma,
    store,
    queue: new InProcessQueue(),
    bus,
    cache: new ModelCache({ store, cacheDir: join(dir, 'cache'), memoryBudgetBytes: 256 << 20 }),
    workDir: join(dir, 'work'),
    batchSize: 4,
  };
  org = (await prisma.organization.create({ data: { name: 'Acme', slug: 'acme-jobs' } })).id;
  await bus.subscribe(eventChannel(org), (e: JsonValue) => events.push(e as PlatformEvent));
  const project = await prisma.project.create({ data: { organizationId: org, name: 'P' } });
  productModelId = (
    await prisma.productModel.create({
      data: { organizationId: org, projectId: project.id, name: 'Part' },
    })
  ).id;
  datasetId = (
    await prisma.dataset.create({ data: { organizationId: org, productModelId, name: 'D' } })
  ).id;
  await addImages(12, 10, 'GOOD');
}, 120_000);

afterAll(async () => {
  await deps?.cache.close();
  await deps?.queue.close();
  await deps?.bus.close();
  await pg?.drop();
});

describe('training job', () => {
  let versionId: string;

  it('fits, calibrates on held-out normals, uploads and commits a READY version once', async () => {
    const snap = await snapshot();
    const { jobId, versionId: v } = await newJob(snap);
    versionId = v;
    const result = await runTrainingJob(deps, ctx(jobId));
    expect(result).toEqual({ modelVersionId: v, status: 'SUCCEEDED' });
    const version = await prisma.modelVersion.findUniqueOrThrow({ where: { id: v } });
    expect(version).toMatchObject({ status: 'READY', trainedImageCount: 9 });
    expect(await deps.store.exists(version.statsKey!)).toBe(true);
    expect(await deps.store.exists(version.detectorKey!)).toBe(true);
    const metrics = version.metrics as { holdoutImageIds: string[] };
    expect(metrics.holdoutImageIds).toHaveLength(3);
    const thresholds = await prisma.threshold.findMany({ where: { modelVersionId: v } });
    expect(thresholds).toHaveLength(1);
    const calibration = thresholds[0]!.calibration as { normalScores: number[] };
    expect(thresholds[0]!.method).toBe('FALSE_ALARM_RATE');
    // 1% of 3 held-out images: no normal image above the threshold.
    expect(Math.max(...calibration.normalScores)).toBeLessThanOrEqual(thresholds[0]!.value);
    const job = await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: 'SUCCEEDED', progress: 1, attempts: 1 });
    expect(
      (await prisma.productModel.findUniqueOrThrow({ where: { id: productModelId } }))
        .activeVersionId,
    ).toBe(v);
    const mine = events.filter((e) => e.type === 'training.progress' && e.trainingJobId === jobId);
    expect(mine.at(-1)).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
    expect(events.some((e) => e.type === 'model.ready' && e.modelVersionId === v)).toBe(true);
    const audit = await prisma.auditEvent.findMany({ where: { targetId: v } });
    expect(audit.map((a) => a.action)).toContain('model_version.ready');

    // Run again (a duplicate delivery of the job): nothing changes.
    expect(await runTrainingJob(deps, ctx(jobId, 2))).toMatchObject({ status: 'SUCCEEDED' });
    expect(await prisma.threshold.count({ where: { modelVersionId: v } })).toBe(1);
  });

  it('uses labelled defects for the F1 threshold and reports AUROC', async () => {
    await addImages(3, 500, 'DEFECT');
    const snap = await snapshot();
    const { jobId, versionId: v } = await newJob(snap);
    expect((await runTrainingJob(deps, ctx(jobId))).status).toBe('SUCCEEDED');
    const t = await prisma.threshold.findFirstOrThrow({ where: { modelVersionId: v } });
    expect(t.method).toBe('F1_OPTIMAL');
    const c = t.calibration as {
      precision: number;
      recall: number;
      f1: number;
      normalScores: number[];
      defectScores: number[];
    };
    expect(c.defectScores).toHaveLength(3);
    expect(c.normalScores).toHaveLength(3);
    expect(c.f1).toBeGreaterThan(0);
    const m = (await prisma.modelVersion.findUniqueOrThrow({ where: { id: v } })).metrics as {
      imageAuroc: number;
    };
    // The stored AUROC is the one the stored scores imply: held-out normals against the defects.
    expect(m.imageAuroc).toBeCloseTo(pairwiseAuroc(c.normalScores, c.defectScores), 12);
    // And it is perfect: with these seeds every 'missing' defect scores about ten times the
    // held-out normals (about 500-620 against 45-55), even with the random-init backbone.
    expect(Math.min(...c.defectScores)).toBeGreaterThan(Math.max(...c.normalScores));
    expect(m.imageAuroc).toBe(1);
    // Defect images are never fitted: 12 normals, 3 held out.
    expect(
      (await prisma.modelVersion.findUniqueOrThrow({ where: { id: v } })).trainedImageCount,
    ).toBe(9);
  });

  it('fails at once, with the reason, when the snapshot has too few normal images', async () => {
    const other = await prisma.dataset.create({
      data: { organizationId: org, productModelId, name: 'tiny' },
    });
    const key = tenantKey(org, 'datasets', other.id, 'one.png');
    await deps.store.put(key, await png(1), { contentType: 'image/png' });
    const img = await prisma.datasetImage.create({
      data: {
        organizationId: org,
        datasetId: other.id,
        objectKey: key,
        sha256: 'one',
        width: SIZE,
        height: SIZE,
        bytes: 1,
        contentType: 'image/png',
        label: 'GOOD',
      },
    });
    const snap = await prisma.datasetSnapshot.create({
      data: { organizationId: org, datasetId: other.id, imageCount: 1 },
    });
    await prisma.datasetSnapshotImage.create({
      data: { organizationId: org, snapshotId: snap.id, imageId: img.id, label: 'GOOD' },
    });
    const { jobId, versionId: v } = await newJob(snap.id);
    expect((await runTrainingJob(deps, ctx(jobId))).status).toBe('FAILED');
    const job = await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/1 normal/);
    expect((await prisma.modelVersion.findUniqueOrThrow({ where: { id: v } })).status).toBe(
      'FAILED',
    );
  });

  it('ends CANCELLED when its signal is aborted, and makes no version', async () => {
    const snap = await snapshot();
    const { jobId, versionId: v } = await newJob(snap);
    const abort = new AbortController();
    abort.abort();
    expect((await runTrainingJob(deps, ctx(jobId, 1, abort.signal))).status).toBe('CANCELLED');
    expect((await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe(
      'CANCELLED',
    );
    expect((await prisma.modelVersion.findUniqueOrThrow({ where: { id: v } })).status).toBe(
      'FAILED',
    );
  });

  it('scores an inspection once: verdict, regions, heatmap, and a rerun writes nothing', async () => {
    const key = tenantKey(org, 'inspections', 'images', 'defect.png');
    await deps.store.put(key, await png(777, 'missing'), { contentType: 'image/png' });
    const row = await prisma.inspection.create({
      data: { organizationId: org, productModelId, modelVersionId: versionId, imageKey: key },
    });
    const job = { payload: { organizationId: org, inspectionId: row.id }, attempt: 1 };
    expect((await runInspectionJob(deps, job)).status).toBe('COMPLETED');
    const done = await prisma.inspection.findUniqueOrThrow({ where: { id: row.id } });
    expect(done).toMatchObject({ status: 'COMPLETED', imageWidth: SIZE, imageHeight: SIZE });
    expect(done.score).toBeGreaterThan(0);
    const threshold = await prisma.threshold.findFirstOrThrow({
      where: { modelVersionId: versionId },
    });
    expect(done.thresholdId).toBe(threshold.id);
    expect(done.verdict).toBe(done.score! > threshold.value ? 'DEFECT' : 'GOOD');
    expect(await deps.store.exists(done.mapKey!)).toBe(true);
    const completedAt = done.completedAt;
    expect((await runInspectionJob(deps, { ...job, attempt: 2 })).status).toBe('COMPLETED');
    expect(
      (await prisma.inspection.findUniqueOrThrow({ where: { id: row.id } })).completedAt,
    ).toEqual(completedAt);
    expect(
      events.filter((e) => e.type === 'inspection.completed' && e.inspectionId === row.id),
    ).toHaveLength(1);
  });

  it('marks a truncated image FAILED with its image error, without retrying', async () => {
    const key = tenantKey(org, 'inspections', 'images', 'cut.png');
    await deps.store.put(key, (await png(5)).subarray(0, 100), { contentType: 'image/png' });
    const row = await prisma.inspection.create({
      data: { organizationId: org, productModelId, modelVersionId: versionId, imageKey: key },
    });
    const r = await runInspectionJob(deps, {
      payload: { organizationId: org, inspectionId: row.id },
      attempt: 1,
    });
    expect(r.status).toBe('FAILED');
    const failed = await prisma.inspection.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/CORRUPT|TRUNCATED|DECODE/i);
  });

  it('never touches another organization’s rows', async () => {
    const other = (await prisma.organization.create({ data: { name: 'B', slug: 'b-jobs' } })).id;
    const row = await prisma.trainingJob.findFirstOrThrow({ where: { organizationId: org } });
    const r = await runTrainingJob(deps, {
      payload: { organizationId: other, trainingJobId: row.id },
      attempt: 1,
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('MISSING');
  });

  it('the sweeper re-enqueues rows whose queue job is gone, and ends those the queue failed', async () => {
    const snap = await snapshot();
    // A fit whose process died with the in-process queue: RUNNING, and no queue job.
    const orphan = await newJob(snap);
    await prisma.trainingJob.update({ where: { id: orphan.jobId }, data: { status: 'RUNNING' } });
    // A fit BullMQ gave up on (stalled too often): its queue job failed.
    const lost = await newJob(snap);
    await prisma.trainingJob.update({ where: { id: lost.jobId }, data: { status: 'RUNNING' } });
    await prisma.modelVersion.update({
      where: { id: lost.versionId },
      data: { status: 'TRAINING' },
    });
    const queue = new InProcessQueue();
    try {
      await queue.worker(QUEUES.training, async (job) => {
        if ((job.payload as { trainingJobId: string }).trainingJobId === lost.jobId)
          throw new Error('job stalled more than allowable limit');
        return null;
      });
      await queue.enqueue(
        QUEUES.training,
        { organizationId: org, trainingJobId: lost.jobId },
        { jobId: trainingQueueJobId(lost.jobId), attempts: 1 },
      );
      for (let i = 0; i < 100; i++) {
        if (
          (await queue.getJob(QUEUES.training, trainingQueueJobId(lost.jobId)))?.state === 'failed'
        )
          break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const inspection = await prisma.inspection.create({
        data: {
          organizationId: org,
          productModelId,
          modelVersionId: orphan.versionId,
          imageKey: 'org/x/y.png',
          status: 'PROCESSING',
        },
      });
      // Young rows are the normal path's business.
      expect((await sweepLostJobs(prisma, queue, 60_000, 60_000)).recovered).toBe(0);
      const swept = await sweepLostJobs(prisma, queue, 0, 0);
      expect(swept.recovered).toBeGreaterThanOrEqual(3);
      expect(await queue.getJob(QUEUES.training, trainingQueueJobId(orphan.jobId))).toBeDefined();
      expect(
        await queue.getJob(QUEUES.inspection, inspectionQueueJobId(inspection.id)),
      ).toBeDefined();
      const ended = await prisma.trainingJob.findUniqueOrThrow({ where: { id: lost.jobId } });
      expect(ended.status).toBe('FAILED');
      expect(ended.error).toMatch(/worker was lost: job stalled/);
      expect(
        (await prisma.modelVersion.findUniqueOrThrow({ where: { id: lost.versionId } })).status,
      ).toBe('FAILED');
      // Done with them: nothing is found again.
      await prisma.trainingJob.update({
        where: { id: orphan.jobId },
        data: { status: 'CANCELLED' },
      });
      await prisma.inspection.update({ where: { id: inspection.id }, data: { status: 'FAILED' } });
    } finally {
      await queue.close();
    }
  });
});
