import { Injectable } from '@nestjs/common';
import { ModelVersionStatus, type PrismaClient } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import { ModelVersionErrorCode, ModelVersionException } from './model-versions.exception.js';
import type { ModelVersion, ModelVersionConnection } from './models/model-version.model.js';
import type { TrainingJob, TrainingJobConnection } from './models/training-job.model.js';

/**
 * Read access to model versions and training jobs, and promotion. Versions and jobs are created by
 * the training pipeline (issue 5), never here.
 */
@Injectable()
export class ModelVersionsService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
  ) {}

  private async requireProductModel(db: PrismaClient, id: string): Promise<void> {
    const found = await db.productModel.findFirst({ where: { id }, select: { id: true } });
    if (!found)
      throw new ModelVersionException(
        ModelVersionErrorCode.PRODUCT_MODEL_NOT_FOUND,
        'no such product model',
      );
  }

  async list(
    actor: Actor,
    productModelId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ModelVersionConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    await this.requireProductModel(db, productModelId);
    const rows = await db.modelVersion.findMany({
      where: { ...where, productModelId },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  async get(actor: Actor, id: string): Promise<ModelVersion> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const version = await db.modelVersion.findFirst({
      where: { id },
    });
    if (!version)
      throw new ModelVersionException(ModelVersionErrorCode.NOT_FOUND, 'no such model version');
    return version;
  }

  /** Makes a READY version the one that answers inspections of its product model. */
  async promote(actor: Actor, id: string): Promise<ModelVersion> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_MODELS);
    return db.$transaction(async (tx) => {
      const version = await tx.modelVersion.findFirst({ where: { id } });
      if (!version)
        throw new ModelVersionException(ModelVersionErrorCode.NOT_FOUND, 'no such model version');
      if (version.status !== ModelVersionStatus.READY)
        throw new ModelVersionException(
          ModelVersionErrorCode.NOT_READY,
          `only a READY version can be promoted (this one is ${version.status})`,
        );
      const product = await tx.productModel.findFirstOrThrow({
        where: { id: version.productModelId },
        select: { id: true, activeVersionId: true },
      });
      if (product.activeVersionId === version.id) return version;
      await tx.productModel.update({
        where: { id: product.id },
        data: { activeVersionId: version.id },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'model_version.promote',
          targetType: 'ModelVersion',
          targetId: version.id,
          data: {
            productModelId: product.id,
            version: version.version,
            previousVersionId: product.activeVersionId,
          },
        },
        tx,
      );
      return version;
    });
  }

  async listJobs(
    actor: Actor,
    productModelId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<TrainingJobConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    await this.requireProductModel(db, productModelId);
    const rows = await db.trainingJob.findMany({
      where: { ...where, modelVersion: { productModelId } },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  async getJob(actor: Actor, id: string): Promise<TrainingJob> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const job = await db.trainingJob.findFirst({
      where: { id },
    });
    if (!job)
      throw new ModelVersionException(
        ModelVersionErrorCode.TRAINING_JOB_NOT_FOUND,
        'no such training job',
      );
    return job;
  }
}
