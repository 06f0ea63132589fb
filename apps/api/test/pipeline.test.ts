/**
 * The whole loop, end to end, against real PostgreSQL, Redis (BullMQ + pub/sub), an S3 server
 * (s3rver) on loopback and the real onnxruntime: upload normal images, train (seeded random-init
 * ResNet18, small images), watch progress on a subscription, inspect a defect image and a normal
 * one, receive the signed webhooks, review a false positive and see the folded version score that
 * image lower. Then a real worker process is killed mid-training and the job finishes once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAccumulator } from '@padim/core';
import type { DefectKind } from '@padim/inference';
import { verifyWebhookSignature } from '@padim/jobs';
import {
  CHECKPOINT_FILE,
  ModelCache,
  artifactKey,
  startWorker,
  type RunningWorker,
} from '@padim/jobs/handlers';
import { BullMqQueue, RedisEventBus } from '@padim/queue';
import { S3ObjectStore } from '@padim/storage';
import { startTestS3Server, type TestS3Server } from '@padim/storage/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi, ok, type Account } from './helpers/api.js';
import { partPng, waitFor } from './helpers/parts.js';

const REDIS_URL = process.env.PADIM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `padim-pipeline-test-${randomUUID().slice(0, 8)}`;
const SIZE = 64;

let s3: TestS3Server;
let api: TestApi;
let worker: RunningWorker;
let workerQueue: BullMqQueue;
let workerBus: RedisEventBus;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string>; body: string }[] = [];
let owner: Account;
let productModelId: string;
let datasetId: string;
let ws: Client;

const png = (seed: number, defect?: DefectKind) => partPng(seed, SIZE, defect);

function s3Env(): Record<string, string> {
  return {
    S3_ENDPOINT: s3.endpoint,
    S3_PORT: String(s3.port),
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: s3.bucket,
  };
}

async function openWorker(log?: (line: string) => void): Promise<void> {
  const store = new S3ObjectStore(s3.config);
  workerQueue = new BullMqQueue({
    connection: REDIS_URL,
    prefix,
    lockMs: 2000,
    stalledIntervalMs: 500,
  });
  workerBus = new RedisEventBus({ connection: REDIS_URL, prefix });
  const work = mkdtempSync(join(tmpdir(), 'padim-worker-'));
  worker = await startWorker(
    {
      prisma: api.prisma,
      store,
      queue: workerQueue,
      bus: workerBus,
      cache: new ModelCache({
        store,
        cacheDir: join(work, 'models'),
        memoryBudgetBytes: 512 * 1024 * 1024,
      }),
      workDir: join(work, 'work'),
      batchSize: 4,
      webhookBackoffMs: 100,
      ...(log ? { log } : {}),
    },
    { allowPrivateWebhookTargets: true, sweepIntervalMs: 0, lockMs: 2000 },
  );
}

async function inspect(token: string, image: Uint8Array, source: string) {
  const { body } = await api.multipart(
    token,
    `mutation($p: ID!, $i: Upload!, $s: String) { inspectImage(productModelId: $p, image: $i, source: $s) {
      id status score verdict thresholdValue modelVersionId imageWidth imageHeight heatmapUrl imageUrl
      regions { x y width height area maxScore } } }`,
    { p: productModelId, i: null, s: source },
    [{ path: 'variables.i', name: `${source}.png`, body: image }],
  );
  return ok<{
    id: string;
    status: string;
    score: number;
    verdict: string;
    thresholdValue: number;
    modelVersionId: string;
    imageWidth: number;
    imageHeight: number;
    heatmapUrl: string | null;
    imageUrl: string;
    regions: {
      x: number;
      y: number;
      width: number;
      height: number;
      area: number;
      maxScore: number;
    }[];
  }>(body, 'inspectImage');
}

async function versionStatus(id: string): Promise<string | undefined> {
  const v = await api.prisma.modelVersion.findUnique({ where: { id }, select: { status: true } });
  return v?.status;
}

beforeAll(async () => {
  s3 = await startTestS3Server();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  api = await TestApi.start({
    ...s3Env(),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    INSPECT_SYNC_TIMEOUT_MS: '60000',
  });
  await openWorker();
  owner = await api.signUp('owner@pipeline.test', 'Pipeline Works');
  ({ productModelId, datasetId } = await api.seedProductModel(owner.token, {
    product: 'Bracket',
    dataset: 'good parts',
  }));
  ws = createClient({
    url: `${api.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${owner.token}` },
    lazy: true,
  });
}, 120_000);

afterAll(async () => {
  await ws?.dispose();
  await worker?.close();
  await workerQueue?.close();
  await workerBus?.close();
  await api?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await s3?.stop();
});

describe('train, inspect, review, fold: the whole loop', () => {
  let versionId: string;
  let flaggedNormal: { id: string; score: number };

  it('trains a version from uploaded normal images, with progress on a subscription', async () => {
    ok(
      await api.gql(
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret } }',
        {
          i: {
            url: receiverUrl,
            events: ['MODEL_READY', 'INSPECTION_FLAGGED', 'INSPECTION_CREATED'],
          },
        },
        owner.token,
      ),
      'createWebhook',
    );
    await api.uploadImages(
      owner.token,
      datasetId,
      await Promise.all(Array.from({ length: 20 }, (_, i) => png(100 + i))),
      'GOOD',
    );
    const progress: {
      status: string;
      phase: string;
      done: number;
      total: number;
      progress: number;
    }[] = [];
    const ready: { modelVersionId: string }[] = [];
    const stopProgress = ws.subscribe(
      {
        query: `subscription($p: ID!) { trainingProgress(productModelId: $p) { status phase done total progress etaSeconds } }`,
        variables: { p: productModelId },
      },
      {
        next: (v) =>
          progress.push((v.data as { trainingProgress: (typeof progress)[0] }).trainingProgress),
        error: (e) => {
          throw e;
        },
        complete: () => undefined,
      },
    );
    const stopReady = ws.subscribe(
      {
        query: `subscription($p: ID!) { modelVersionReady(productModelId: $p) { modelVersionId } }`,
        variables: { p: productModelId },
      },
      {
        next: (v) =>
          ready.push((v.data as { modelVersionReady: (typeof ready)[0] }).modelVersionReady),
        error: (e) => {
          throw e;
        },
        complete: () => undefined,
      },
    );
    // Let both subscriptions reach the server before the job can start.
    await new Promise((r) => setTimeout(r, 500));
    const job = ok<{ id: string; status: string; modelVersionId: string }>(
      await api.gql(
        `mutation($i: TrainModelInput!) { trainModel(input: $i) { id status modelVersionId } }`,
        {
          i: {
            productModelId,
            datasetId,
            weights: 'RANDOM_INIT',
            d: 40,
            holdoutFraction: 0.2,
            idempotencyKey: 'first-fit',
          },
        },
        owner.token,
      ),
      'trainModel',
    );
    expect(job.status).toBe('QUEUED');
    versionId = job.modelVersionId;
    // The same request again is the same job.
    const again = ok<{ id: string }>(
      await api.gql(
        `mutation($i: TrainModelInput!) { trainModel(input: $i) { id } }`,
        {
          i: {
            productModelId,
            datasetId,
            weights: 'RANDOM_INIT',
            d: 40,
            idempotencyKey: 'first-fit',
          },
        },
        owner.token,
      ),
      'trainModel',
    );
    expect(again.id).toBe(job.id);
    await waitFor(async () => (ready.length > 0 ? true : undefined), 120_000, 'modelVersionReady');
    stopProgress();
    stopReady();
    expect(ready[0]!.modelVersionId).toBe(versionId);
    expect(progress.some((p) => p.phase === 'FITTING' && p.done > 0 && p.done < p.total)).toBe(
      true,
    );
    expect(progress.at(-1)).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
    const fitting = progress.filter((p) => p.phase === 'FITTING').map((p) => p.done);
    expect([...fitting].sort((a, b) => a - b)).toEqual(fitting);

    const version = await api.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
    expect(version).toMatchObject({ status: 'READY', trainedImageCount: 16, d: 40 });
    expect(version.statsKey).toMatch(/padim\.safetensors$/);
    const product = await api.prisma.productModel.findUniqueOrThrow({
      where: { id: productModelId },
    });
    expect(product.activeVersionId).toBe(versionId);
    const threshold = ok<{ method: string; value: number; targetFalseAlarmRate: number }>(
      await api.gql(
        'query($v: ID!) { activeThreshold(modelVersionId: $v) { method value targetFalseAlarmRate } }',
        { v: versionId },
        owner.token,
      ),
      'activeThreshold',
    );
    expect(threshold).toMatchObject({ method: 'FALSE_ALARM_RATE', targetFalseAlarmRate: 0.01 });
    expect(threshold.value).toBeGreaterThan(0);
    expect(await api.prisma.trainingJob.count({ where: { modelVersionId: versionId } })).toBe(1);
    // The signed model.ready webhook.
    const hook = await waitFor(
      async () => received.find((r) => r.headers['padim-event'] === 'model.ready'),
      20_000,
      'model.ready webhook',
    );
    const secret = (await api.prisma.webhook.findFirstOrThrow()).secret;
    expect(verifyWebhookSignature(secret, hook.headers['padim-signature']!, hook.body)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'model.ready',
      data: { modelVersionId: versionId },
    });
  });

  it('inspects a defect image (flagged, localised, webhook) and a normal one', async () => {
    const flaggedLive: { inspectionId: string; flagged: boolean }[] = [];
    const stop = ws.subscribe(
      {
        query: `subscription($p: ID!) { inspectionCompleted(productModelId: $p, flaggedOnly: true) { inspectionId flagged } }`,
        variables: { p: productModelId },
      },
      {
        next: (v) =>
          flaggedLive.push(
            (v.data as { inspectionCompleted: (typeof flaggedLive)[0] }).inspectionCompleted,
          ),
        error: (e) => {
          throw e;
        },
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const defect = await inspect(owner.token, await png(900, 'missing'), 'cam-1');
    expect(defect).toMatchObject({
      status: 'COMPLETED',
      verdict: 'DEFECT',
      modelVersionId: versionId,
      imageWidth: SIZE,
      imageHeight: SIZE,
    });
    expect(defect.score).toBeGreaterThan(defect.thresholdValue);
    expect(defect.regions.length).toBeGreaterThan(0);
    for (const r of defect.regions) {
      expect(r.x + r.width).toBeLessThanOrEqual(SIZE);
      expect(r.y + r.height).toBeLessThanOrEqual(SIZE);
      expect(r.maxScore).toBeGreaterThan(defect.thresholdValue);
    }
    const heatmap = await fetch(defect.heatmapUrl!);
    expect(heatmap.status).toBe(200);
    expect(
      Buffer.from(await heatmap.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    const normal = await inspect(owner.token, await png(5000), 'cam-1');
    expect(normal.status).toBe('COMPLETED');
    expect(normal.score).toBeLessThan(defect.score);

    await waitFor(
      async () => (flaggedLive.some((e) => e.inspectionId === defect.id) ? true : undefined),
      10_000,
      'flagged event',
    );
    stop();
    expect(flaggedLive.every((e) => e.flagged)).toBe(true);
    expect(flaggedLive.some((e) => e.inspectionId === normal.id)).toBe(normal.verdict === 'DEFECT');
    const flaggedHook = await waitFor(
      async () =>
        received.find(
          (r) =>
            r.headers['padim-event'] === 'inspection.flagged' &&
            (JSON.parse(r.body) as { data: { inspectionId: string } }).data.inspectionId ===
              defect.id,
        ),
      20_000,
      'inspection.flagged webhook',
    );
    const secret = (await api.prisma.webhook.findFirstOrThrow()).secret;
    expect(
      verifyWebhookSignature(secret, flaggedHook.headers['padim-signature']!, flaggedHook.body),
    ).toBe(true);
    // Exactly once: one row per inspection, each written once.
    const deliveries = await api.prisma.webhookDelivery.count({
      where: {
        event: 'inspection.flagged',
        payload: { path: ['data', 'inspectionId'], equals: defect.id },
      },
    });
    expect(deliveries).toBe(1);

    // A normal part flagged under a stricter threshold is the false positive an inspector marks.
    ok(
      await api.gql(
        'mutation($i: SetThresholdInput!) { setThreshold(input: $i) { value } }',
        { i: { modelVersionId: versionId, value: normal.score * 0.5, reason: 'stricter line' } },
        owner.token,
      ),
      'setThreshold',
    );
    const strict = await inspect(owner.token, await png(5000), 'cam-1');
    expect(strict).toMatchObject({ status: 'COMPLETED', verdict: 'DEFECT' });
    expect(strict.score).toBeCloseTo(normal.score, 4);
    flaggedNormal = { id: strict.id, score: strict.score };
  });

  it('folds a reviewed false positive into a new version that scores that image lower', async () => {
    ok(
      await api.gql(
        'mutation($i: ReviewInspectionInput!) { reviewInspection(input: $i) { verdict } }',
        { i: { inspectionId: flaggedNormal.id, verdict: 'GOOD', note: 'texture, not a defect' } },
        owner.token,
      ),
      'reviewInspection',
    );
    const started = Date.now();
    const job = ok<{ id: string; kind: string; modelVersionId: string }>(
      await api.gql(
        'mutation($v: ID!) { absorbFalsePositives(modelVersionId: $v) { id kind modelVersionId } }',
        { v: versionId },
        owner.token,
      ),
      'absorbFalsePositives',
    );
    expect(job.kind).toBe('INCREMENTAL');
    await waitFor(
      async () => ((await versionStatus(job.modelVersionId)) === 'READY' ? true : undefined),
      60_000,
      'folded version',
    );
    const foldMs = Date.now() - started;
    const folded = await api.prisma.modelVersion.findUniqueOrThrow({
      where: { id: job.modelVersionId },
      include: { absorbedReviews: true },
    });
    expect(folded.parentVersionId).toBe(versionId);
    expect(folded.trainedImageCount).toBe(17);
    expect(folded.absorbedReviews.map((r) => r.inspectionId)).toEqual([flaggedNormal.id]);
    const product = await api.prisma.productModel.findUniqueOrThrow({
      where: { id: productModelId },
    });
    expect(product.activeVersionId).toBe(folded.id);
    const again = await inspect(owner.token, await png(5000), 'cam-1');
    expect(again.modelVersionId).toBe(folded.id);
    expect(again.score).toBeLessThan(flaggedNormal.score);
    // The absorbed review is final; folding again finds nothing new.
    const twice = await api.gql(
      'mutation($v: ID!) { absorbFalsePositives(modelVersionId: $v) { id } }',
      { v: folded.id },
      owner.token,
    );
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    console.log(`fold of 1 review: ${foldMs} ms end to end`);
  });

  it('refuses bad training requests with typed errors and changes nothing', async () => {
    const before = await api.prisma.modelVersion.count();
    const bad = async (i: Record<string, unknown>) =>
      (
        await api.gql(
          'mutation($i: TrainModelInput!) { trainModel(input: $i) { id } }',
          { i: { productModelId, datasetId, weights: 'RANDOM_INIT', ...i } },
          owner.token,
        )
      ).errors?.[0]?.extensions?.code;
    expect(await bad({ d: 0 })).toBe('BAD_USER_INPUT');
    expect(await bad({ d: 449 })).toBe('BAD_USER_INPUT');
    expect(await bad({ holdoutFraction: 0.9 })).toBe('BAD_USER_INPUT');
    expect(await bad({ snapshotId: randomUUID() })).toBe('BAD_USER_INPUT');
    expect(await bad({ productModelId: randomUUID() })).toBe('NOT_FOUND');
    expect(await bad({ datasetId: randomUUID() })).toBe('NOT_FOUND');
    const other = await api.signUp('other@pipeline.test', 'Other Works');
    const foreign = await api.gql(
      'mutation($i: TrainModelInput!) { trainModel(input: $i) { id } }',
      { i: { productModelId, datasetId, weights: 'RANDOM_INIT' } },
      other.token,
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignInspect = await api.multipart(
      other.token,
      'mutation($p: ID!, $i: Upload!) { inspectImage(productModelId: $p, image: $i) { id } }',
      { p: productModelId, i: null },
      [{ path: 'variables.i', name: 'x.png', body: await png(1) }],
    );
    expect(foreignInspect.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const truncated = await api.multipart(
      owner.token,
      'mutation($p: ID!, $i: Upload!) { inspectImage(productModelId: $p, image: $i) { id } }',
      { p: productModelId, i: null },
      [{ path: 'variables.i', name: 'cut.png', body: (await png(2)).subarray(0, 200) }],
    );
    expect(truncated.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await api.prisma.modelVersion.count()).toBe(before);
  });
});

const CLI = fileURLToPath(new URL('../../../packages/inference/src/cli/main.ts', import.meta.url));

describe('a worker process killed mid-training', () => {
  let child: ChildProcess | undefined;
  let listener: RedisEventBus | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await listener?.close();
  });

  // Its own waits (child start, fit, retry) add up to more than the default minute.
  it('is retried by another worker, resumes from its checkpoint and finishes once', async () => {
    // Only the child consumes queues while the job starts.
    await worker.close();
    await workerQueue.close();
    await workerBus.close();
    const housing = await api.seedProductModel(owner.token, {
      projectId: (await api.prisma.project.findFirstOrThrow()).id,
      product: 'Housing',
      dataset: 'good housings',
    });
    await api.uploadImages(
      owner.token,
      housing.datasetId,
      await Promise.all(Array.from({ length: 80 }, (_, i) => png(300 + i))),
      'GOOD',
    );
    // Checkpoints every 6 batches of 4: after 24 and 48 of the 72 fit images. The worker is
    // killed as soon as it reports fitting past the first one, so well before the next upload
    // starts (a PUT cut off halfway leaves a truncated object in s3rver, which is not atomic
    // like S3, and a damaged checkpoint is rightly refitted from zero).
    const BATCH = 4;
    const CHECKPOINT_EVERY = 6;
    let killedAt: number | undefined;
    listener = new RedisEventBus({ connection: REDIS_URL, prefix });
    // Every progress event of both attempts, in order: each attempt opens with a 'loading' one.
    const progress: { trainingJobId: string; phase: string; done: number; total: number }[] = [];
    await listener.subscribe(`org.${owner.organizationId}`, (e) => {
      const event = e as {
        type: string;
        productModelId: string;
        trainingJobId: string;
        phase: string;
        done: number;
        total: number;
      };
      if (event.type !== 'training.progress' || event.productModelId !== housing.productModelId)
        return;
      progress.push(event);
      if (
        killedAt === undefined &&
        event.phase === 'fitting' &&
        event.done > BATCH * CHECKPOINT_EVERY
      ) {
        killedAt = event.done;
        child?.kill('SIGKILL');
      }
    });
    const work = mkdtempSync(join(tmpdir(), 'padim-child-worker-'));
    child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', CLI, 'worker'], {
      cwd: fileURLToPath(new URL('../../../packages/inference/', import.meta.url)),
      env: {
        ...process.env,
        ...s3Env(),
        DATABASE_URL: api.db.url,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        DATA_DIR: work,
        WORKER_HTTP_PORT: '-1',
        WORKER_LOCK_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '500',
        WORKER_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
        WORKER_BATCH_SIZE: String(BATCH),
        WORKER_SWEEP_INTERVAL_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor(
      async () => (output.includes('worker ready') ? true : undefined),
      60_000,
      `child worker (${output})`,
    );
    const job = ok<{ id: string; modelVersionId: string }>(
      await api.gql(
        `mutation($i: TrainModelInput!) { trainModel(input: $i) { id modelVersionId } }`,
        {
          i: {
            productModelId: housing.productModelId,
            datasetId: housing.datasetId,
            weights: 'RANDOM_INIT',
            d: 30,
            holdoutFraction: 0.1,
          },
        },
        owner.token,
      ),
      'trainModel',
    );
    // Killed (by the listener above) once a checkpoint exists and the fit is under way.
    await waitFor(async () => killedAt, 90_000, 'training under way');
    expect(killedAt).toBeLessThan(72);
    await new Promise((r) =>
      (child!.exitCode ?? child!.signalCode) !== null ? r(undefined) : child!.once('exit', r),
    );
    const mid = await api.prisma.trainingJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(mid.status).toBe('RUNNING');
    // What the dead worker left: its last checkpoint, part of the way through the 72 fit images.
    const checkpoint = decodeAccumulator(
      await new S3ObjectStore(s3.config).get(
        artifactKey(
          {
            organizationId: owner.organizationId,
            productModelId: housing.productModelId,
            modelVersionId: job.modelVersionId,
          },
          CHECKPOINT_FILE,
        ),
      ),
    );
    const checkpointed = Number(checkpoint.metadata.images_done);
    expect(checkpoint.accumulator.count).toBe(checkpointed);
    expect(checkpointed % (BATCH * CHECKPOINT_EVERY)).toBe(0);
    expect(checkpointed).toBeGreaterThan(0);
    expect(checkpointed).toBeLessThan(72);
    // A second worker takes the stalled job over.
    const log: string[] = [];
    await openWorker((line) => log.push(line));
    await waitFor(
      async () => ((await versionStatus(job.modelVersionId)) === 'READY' ? true : undefined),
      120_000,
      'the retried job',
    );
    const done = await api.prisma.trainingJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    // The second attempt resumed from that checkpoint rather than from zero: it started with the
    // checkpointed images already counted, and every image it reported fitting came after them,
    // so it fitted 72 - checkpointed images, not all 72.
    expect(log).toContain(`training ${job.id}: resuming after ${checkpointed} images`);
    const mine = progress.filter((e) => e.trainingJobId === job.id);
    const starts = mine.flatMap((e, i) => (e.phase === 'loading' ? [i] : []));
    expect(starts).toHaveLength(2);
    const second = mine.slice(starts[1]).filter((e) => e.phase === 'fitting');
    expect(second.length).toBeGreaterThan(0);
    expect(second[0]!.total).toBe(72);
    // Its reports all lie past the checkpoint (the first comes after its first batch).
    expect(Math.min(...second.map((e) => e.done))).toBeGreaterThan(checkpointed);
    const versions = await api.prisma.modelVersion.findMany({
      where: { productModelId: housing.productModelId },
    });
    expect(versions).toHaveLength(1);
    // 72 fit images counted once, though the fit ran partly twice.
    expect(versions[0]!.trainedImageCount).toBe(72);
    expect(await api.prisma.threshold.count({ where: { modelVersionId: versions[0]!.id } })).toBe(
      1,
    );
  }, 240_000);
});
