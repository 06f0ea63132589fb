import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ModelVersionStatus,
  Prisma,
  PreprocessProtocol,
  TrainingJobKind,
  TrainingJobStatus,
  Verdict,
  type PrismaClient,
  type TrainingJob as TrainingJobRow,
} from '@padim/db';
import { PRETRAINED_WEIGHTS } from '@padim/inference/pretrained';
import { PAPER_RD, backboneEmbeddingSize, type BackboneName } from '@padim/core';
import { endTrainingJob, enqueueTraining, isTrainingJobOpen } from '@padim/jobs';
import { QUEUES, trainingQueueJobId, type JobQueue } from '@padim/queue';
import { AuditService, auditActor } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { TenantDb } from '../database/tenant-db.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import type { TrainingJob } from '../model-versions/models/training-job.model.js';
import { BackboneWeights, TrainingBackbone, type TrainModelInput } from './dto/train.input.js';
import { PipelineErrorCode, PipelineException } from './pipeline.exception.js';
import { JOB_QUEUE } from './pipeline.tokens.js';

/** The backbone's name in core's catalogue (the enum's values are those names). */
const BACKBONE_NAME: Record<TrainingBackbone, BackboneName> = {
  [TrainingBackbone.RESNET18]: 'resnet18',
  [TrainingBackbone.WIDE_RESNET50_2]: 'wide_resnet50_2',
};
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;
/** A fit needs 2 images and the calibration 1 held-out one. */
const MIN_NORMAL_IMAGES = 3;

function invalid(message: string): never {
  throw new PipelineException(PipelineErrorCode.INVALID_TRAINING_OPTIONS, message);
}

/**
 * Starting, cancelling and folding training jobs. The API only writes rows and enqueues; the worker
 * (@padim/jobs handlers, in apps/worker or the embedded mode) runs the CNN and makes the version
 * READY. Job statuses move only as the training-job state machine (@padim/jobs) allows.
 */
@Injectable()
export class TrainingService {
  private readonly logger = new Logger('Training');

  constructor(
    private readonly tenants: TenantDb,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly datasets: DatasetsService,
  ) {}

  private async enqueue(job: TrainingJobRow): Promise<void> {
    try {
      await enqueueTraining(this.queue, job);
    } catch (error) {
      // The row stays QUEUED; the worker's sweeper enqueues QUEUED jobs it finds (same job id).
      this.logger.error(`enqueue of training job ${job.id} failed: ${String(error)}`);
    }
  }

  async train(actor: Actor, input: TrainModelInput): Promise<TrainingJob> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_MODELS);
    const backbone = input.backbone ?? TrainingBackbone.RESNET18;
    const weights = input.weights ?? BackboneWeights.IMAGENET;
    // The paper's Rd and embedding size, from core (the dashboard's train form reads the same).
    const d = input.d ?? PAPER_RD[BACKBONE_NAME[backbone]];
    const embedding = backboneEmbeddingSize(BACKBONE_NAME[backbone]);
    const seed = input.seed ?? 0;
    const protocol = input.protocol ?? PreprocessProtocol.MVTEC;
    const holdoutFraction = input.holdoutFraction ?? 0.1;
    const targetFalseAlarmRate = input.targetFalseAlarmRate ?? 0.01;
    if (!Number.isInteger(d) || d < 1 || d > embedding)
      invalid(`d must be 1 to ${embedding} for ${backbone}`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
      invalid('seed must be an integer from 0 to 2^31 - 1');
    if (!(holdoutFraction >= 0.05 && holdoutFraction <= 0.5))
      invalid('holdoutFraction must be from 0.05 to 0.5');
    if (!(targetFalseAlarmRate >= 0 && targetFalseAlarmRate <= 0.5))
      invalid('targetFalseAlarmRate must be from 0 to 0.5');
    if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey))
      invalid('idempotencyKey: 1 to 200 characters of [A-Za-z0-9._:-]');
    if (!input.snapshotId === !input.datasetId)
      invalid('give exactly one of snapshotId, datasetId');

    const product = await db.productModel.findFirst({
      where: { id: input.productModelId },
      select: { id: true },
    });
    if (!product)
      throw new PipelineException(
        PipelineErrorCode.PRODUCT_MODEL_NOT_FOUND,
        'no such product model',
      );
    if (input.idempotencyKey) {
      const existing = await this.byKey(db, input.idempotencyKey, product.id);
      if (existing) return existing;
    }
    let snapshotId = input.snapshotId;
    if (input.datasetId) {
      const dataset = await db.dataset.findFirst({
        where: { id: input.datasetId, productModelId: product.id },
        select: { id: true },
      });
      if (!dataset)
        throw new PipelineException(
          PipelineErrorCode.DATASET_NOT_FOUND,
          'no such dataset of this product model',
        );
      // Checked before the snapshot is taken: a refused request writes nothing.
      this.checkNormals(
        await db.datasetImage.count({
          where: { datasetId: dataset.id, label: { not: 'DEFECT' } },
        }),
        holdoutFraction,
      );
      snapshotId = (
        await this.datasets.createSnapshot(actor, { datasetId: dataset.id, name: 'training' })
      ).id;
    }
    const snapshot = await db.datasetSnapshot.findFirst({
      where: { id: snapshotId!, dataset: { productModelId: product.id } },
      select: { id: true },
    });
    if (!snapshot)
      throw new PipelineException(
        PipelineErrorCode.SNAPSHOT_NOT_FOUND,
        'no such snapshot of a dataset of this product model',
      );
    this.checkNormals(
      await db.datasetSnapshotImage.count({
        where: { snapshotId: snapshot.id, label: { not: 'DEFECT' } },
      }),
      holdoutFraction,
    );

    const job = await this.createJob(actor, { organizationId, db }, input.idempotencyKey, {
      productModelId: product.id,
      kind: TrainingJobKind.FULL,
      options: { holdoutFraction, targetFalseAlarmRate },
      version: {
        backbone,
        weightsSha256:
          weights === BackboneWeights.IMAGENET ? PRETRAINED_WEIGHTS[backbone].sha256 : null,
        layers: ['layer1', 'layer2', 'layer3'],
        d,
        seed,
        protocol,
        imageSize: protocol === PreprocessProtocol.STC ? 256 : 224,
        snapshotId: snapshot.id,
        parentVersionId: null,
      },
      audit: { snapshotId: snapshot.id, backbone, weights, d, seed, protocol },
    });
    await this.enqueue(job);
    return job;
  }

  private checkNormals(normals: number, holdoutFraction: number): void {
    if (normals < MIN_NORMAL_IMAGES)
      throw new PipelineException(
        PipelineErrorCode.NOT_ENOUGH_IMAGES,
        `the snapshot has ${normals} normal (GOOD or UNKNOWN) images; training needs at least ${MIN_NORMAL_IMAGES}`,
      );
    if (normals - Math.max(1, Math.round(holdoutFraction * normals)) < 2)
      invalid(`holdoutFraction ${holdoutFraction} leaves fewer than 2 of ${normals} images to fit`);
  }

  private async byKey(
    db: PrismaClient,
    key: string,
    productModelId: string,
  ): Promise<TrainingJob | undefined> {
    const existing = await db.trainingJob.findFirst({
      where: { idempotencyKey: key },
      include: { modelVersion: { select: { productModelId: true } } },
    });
    if (!existing) return undefined;
    if (existing.modelVersion.productModelId !== productModelId)
      throw new PipelineException(
        PipelineErrorCode.IDEMPOTENCY_KEY_REUSED,
        'this idempotencyKey was used for another product model',
      );
    const { modelVersion: _unused, ...row } = existing;
    return row;
  }

  /**
   * The version row (next number of its product model) and its job, in one transaction that
   * serialises version numbering per product model. A duplicate idempotency key (a concurrent
   * twin request) answers the twin's job.
   */
  private async createJob(
    actor: Actor,
    { organizationId, db }: { organizationId: string; db: PrismaClient },
    idempotencyKey: string | undefined,
    spec: {
      productModelId: string;
      kind: TrainingJobKind;
      options: Prisma.InputJsonValue;
      version: {
        backbone: string;
        weightsSha256: string | null;
        layers: string[];
        d: number;
        seed: number;
        eps?: number;
        protocol: PreprocessProtocol;
        imageSize: number;
        snapshotId: string | null;
        parentVersionId: string | null;
      };
      audit: Record<string, Prisma.InputJsonValue | null>;
      /** Runs in the transaction after the product model is locked (re-checks under the lock). */
      guard?: (tx: PrismaClient) => Promise<void>;
    },
  ): Promise<TrainingJobRow> {
    const key = idempotencyKey ?? randomUUID();
    try {
      return await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "ProductModel" WHERE id = ${spec.productModelId} AND "organizationId" = ${organizationId} FOR UPDATE`;
        await spec.guard?.(tx as unknown as PrismaClient);
        const last = await tx.modelVersion.findFirst({
          where: { productModelId: spec.productModelId },
          orderBy: { version: 'desc' },
          select: { version: true },
        });
        const version = await tx.modelVersion.create({
          data: {
            organizationId,
            productModelId: spec.productModelId,
            version: (last?.version ?? 0) + 1,
            status: ModelVersionStatus.QUEUED,
            createdById: actor.userId,
            ...spec.version,
          },
        });
        const job = await tx.trainingJob.create({
          data: {
            organizationId,
            modelVersionId: version.id,
            kind: spec.kind,
            idempotencyKey: key,
            options: spec.options,
          },
        });
        const withQueueId = await tx.trainingJob.update({
          where: { id: job.id },
          data: { queueJobId: trainingQueueJobId(job.id) },
        });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: spec.kind === TrainingJobKind.FULL ? 'training.start' : 'training.fold',
            targetType: 'ModelVersion',
            targetId: version.id,
            data: {
              trainingJobId: job.id,
              version: version.version,
              productModelId: spec.productModelId,
              ...spec.audit,
            },
          },
          tx,
        );
        return withQueueId;
      });
    } catch (error) {
      if (
        idempotencyKey &&
        error instanceof Prisma.PrismaClientKnownRequestError &&
        error.code === 'P2002'
      ) {
        const twin = await this.byKey(db, idempotencyKey, spec.productModelId);
        if (twin) return twin as TrainingJobRow;
      }
      throw error;
    }
  }

  /**
   * A queued job is removed from the queue and ends CANCELLED here; a running one is aborted by its
   * worker, which ends it CANCELLED (the version FAILED) between two batches.
   */
  async cancel(actor: Actor, id: string): Promise<TrainingJob> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_MODELS);
    const job = await db.trainingJob.findFirst({ where: { id } });
    if (!job)
      throw new PipelineException(PipelineErrorCode.TRAINING_JOB_NOT_FOUND, 'no such training job');
    if (!isTrainingJobOpen(job.status))
      throw new PipelineException(
        PipelineErrorCode.JOB_FINISHED,
        `the job already ended (${job.status})`,
      );
    // A job a worker is running is aborted by that worker, which ends the row. Any other state
    // (waiting, waiting for a retry's backoff, gone) never reaches a handler again: end it here.
    const queueJobId = trainingQueueJobId(job.id);
    let running = false;
    try {
      running = (await this.queue.getJob(QUEUES.training, queueJobId))?.state === 'active';
      await this.queue.cancel(QUEUES.training, queueJobId);
    } catch (error) {
      this.logger.warn(`queue cancel of ${job.id}: ${String(error)}`);
    }
    await db.$transaction(async (tx) => {
      // A running job's worker ends it (between two batches); any other open job ends here.
      await endTrainingJob(tx, job, {
        status: TrainingJobStatus.CANCELLED,
        error: 'cancelled',
        actor: auditActor(actor),
        ...(running ? { from: [TrainingJobStatus.QUEUED] } : {}),
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'training.cancel',
          targetType: 'ModelVersion',
          targetId: job.modelVersionId,
          data: { trainingJobId: job.id, statusBefore: job.status },
        },
        tx,
      );
    });
    return db.trainingJob.findFirstOrThrow({ where: { id: job.id } });
  }

  /**
   * Folds the product model's reviewed false positives (inspections flagged DEFECT that a person
   * marked GOOD, not yet absorbed) into `modelVersionId`'s statistics: a new version whose parent
   * is that one, built in seconds by the worker without re-reading the training images.
   */
  async foldReviews(
    actor: Actor,
    modelVersionId: string,
    idempotencyKey: string | undefined,
  ): Promise<TrainingJob> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_MODELS);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      invalid('idempotencyKey: 1 to 200 characters of [A-Za-z0-9._:-]');
    const parent = await db.modelVersion.findFirst({ where: { id: modelVersionId } });
    if (!parent)
      throw new PipelineException(
        PipelineErrorCode.MODEL_VERSION_NOT_FOUND,
        'no such model version',
      );
    if (idempotencyKey) {
      const existing = await this.byKey(db, idempotencyKey, parent.productModelId);
      if (existing) return existing;
    }
    if (parent.status !== ModelVersionStatus.READY)
      throw new PipelineException(
        PipelineErrorCode.MODEL_VERSION_NOT_READY,
        `only a READY version can absorb reviews (this one is ${parent.status})`,
      );
    const noFoldRunning = async (client: PrismaClient) => {
      const running = await client.trainingJob.count({
        where: {
          kind: TrainingJobKind.INCREMENTAL,
          status: { in: [TrainingJobStatus.QUEUED, TrainingJobStatus.RUNNING] },
          modelVersion: { productModelId: parent.productModelId },
        },
      });
      if (running > 0)
        throw new PipelineException(
          PipelineErrorCode.FOLD_IN_PROGRESS,
          'reviews of this product model are being folded in already; wait for that version',
        );
    };
    await noFoldRunning(db);
    const reviews = await db.review.findMany({
      where: {
        verdict: Verdict.GOOD,
        absorbedIntoVersionId: null,
        inspection: { productModelId: parent.productModelId, verdict: Verdict.DEFECT },
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: 1000,
    });
    if (reviews.length === 0)
      throw new PipelineException(
        PipelineErrorCode.NOTHING_TO_FOLD,
        'there are no reviewed false positives to fold in',
      );
    const reviewIds = reviews.map((r) => r.id);
    const job = await this.createJob(actor, { organizationId, db }, idempotencyKey, {
      productModelId: parent.productModelId,
      kind: TrainingJobKind.INCREMENTAL,
      options: { reviewIds },
      version: {
        backbone: parent.backbone,
        weightsSha256: parent.weightsSha256,
        layers: parent.layers,
        d: parent.d,
        seed: parent.seed,
        eps: parent.eps,
        protocol: parent.protocol,
        imageSize: parent.imageSize,
        snapshotId: parent.snapshotId,
        parentVersionId: parent.id,
      },
      audit: { parentVersionId: parent.id, reviews: reviewIds.length },
      // Two folds at once would absorb the same reviews twice.
      guard: noFoldRunning,
    });
    await this.enqueue(job);
    return job;
  }
}
