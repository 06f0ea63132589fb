import { Inject, Injectable, Logger } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@padim/db';
import { TenantObjectStore, tenantPrefix, type ObjectStore } from '@padim/storage';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import { DatasetErrorCode, DatasetException } from './datasets.exception.js';
import type { CreateDatasetInput, CreateDatasetSnapshotInput } from './dto/dataset.input.js';
import type { Dataset, DatasetConnection } from './models/dataset.model.js';
import type {
  DatasetSnapshot,
  DatasetSnapshotConnection,
} from './models/dataset-snapshot.model.js';

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) {
    throw new DatasetException(
      DatasetErrorCode.INVALID_NAME,
      'the name must be 1 to 200 characters',
    );
  }
  return trimmed;
}

const notFound = () => new DatasetException(DatasetErrorCode.NOT_FOUND, 'no such dataset');

/** Every object of a dataset (images, masks, pending uploads) lies under this folder. */
export function datasetPrefix(organizationId: string, datasetId: string): string {
  return tenantPrefix(organizationId, 'datasets', datasetId);
}

@Injectable()
export class DatasetsService {
  private readonly logger = new Logger(DatasetsService.name);

  constructor(
    private readonly tenants: TenantDb,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly audit: AuditService,
  ) {}

  /** The dataset, or NOT_FOUND (also for another organization's id). */
  async find(db: Pick<PrismaClient, 'dataset'>, id: string): Promise<Dataset> {
    const dataset = await db.dataset.findFirst({ where: { id } });
    if (!dataset) throw notFound();
    return dataset;
  }

  private async findProductModel(db: PrismaClient, id: string): Promise<{ id: string }> {
    const productModel = await db.productModel.findFirst({ where: { id }, select: { id: true } });
    if (!productModel) {
      throw new DatasetException(DatasetErrorCode.PRODUCT_MODEL_NOT_FOUND, 'no such product model');
    }
    return productModel;
  }

  async list(
    actor: Actor,
    productModelId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<DatasetConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    await this.findProductModel(db, productModelId);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.dataset.findMany({
      where: { ...where, productModelId },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  async get(actor: Actor, id: string): Promise<Dataset> {
    const { db } = this.tenants.for(actor, Permission.READ);
    return this.find(db, id);
  }

  async create(actor: Actor, input: CreateDatasetInput): Promise<Dataset> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const name = checkName(input.name);
    const productModel = await this.findProductModel(db, input.productModelId);
    try {
      return await db.$transaction(async (tx) => {
        const dataset = await tx.dataset.create({
          data: {
            organizationId,
            productModelId: productModel.id,
            name,
            description: input.description?.trim() || null,
          },
        });
        await this.audit.record(
          actor,
          { organizationId, action: 'dataset.create', targetType: 'Dataset', targetId: dataset.id },
          tx,
        );
        return dataset;
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new DatasetException(
          DatasetErrorCode.NAME_TAKEN,
          'this product model has a dataset with this name',
        );
      }
      throw error;
    }
  }

  /** Deletes the rows (images and snapshots cascade), then every object under the dataset. */
  async delete(actor: Actor, id: string): Promise<Dataset> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const dataset = await this.find(db, id);
    try {
      await db.$transaction(async (tx) => {
        // Snapshots first: their members hold the images with NO ACTION keys, which PostgreSQL
        // checks before the dataset's cascade reaches them.
        await tx.datasetSnapshot.deleteMany({ where: { datasetId: id } });
        await tx.dataset.delete({ where: { id } });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'dataset.delete',
            targetType: 'Dataset',
            targetId: id,
            data: { name: dataset.name },
          },
          tx,
        );
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') {
        throw new DatasetException(
          DatasetErrorCode.IN_USE,
          'a model version was trained on a snapshot of this dataset; delete that version first',
        );
      }
      throw error;
    }
    // After the rows: a failure here leaves unreachable objects, never rows without objects.
    try {
      await new TenantObjectStore(this.store, organizationId).deletePrefix(
        datasetPrefix(organizationId, id),
      );
    } catch (error) {
      this.logger.error(
        `dataset ${id} deleted but its objects were not: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    return dataset;
  }

  async createSnapshot(actor: Actor, input: CreateDatasetSnapshotInput): Promise<DatasetSnapshot> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const dataset = await this.find(db, input.datasetId);
    const name = input.name?.trim() || null;
    if (name !== null && name.length > 500) {
      throw new DatasetException(
        DatasetErrorCode.INVALID_NAME,
        'the note must be at most 500 characters',
      );
    }
    return db.$transaction(
      async (tx) => {
        const images = await tx.datasetImage.findMany({
          where: { datasetId: dataset.id },
          select: { id: true, label: true },
          orderBy: { id: 'asc' },
        });
        if (images.length === 0) {
          throw new DatasetException(
            DatasetErrorCode.EMPTY,
            'the dataset has no images to snapshot',
          );
        }
        const snapshot = await tx.datasetSnapshot.create({
          data: {
            organizationId,
            datasetId: dataset.id,
            name,
            imageCount: images.length,
            createdById: actor.userId,
          },
        });
        await tx.datasetSnapshotImage.createMany({
          data: images.map((image) => ({
            organizationId,
            snapshotId: snapshot.id,
            imageId: image.id,
            label: image.label,
          })),
        });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'dataset.snapshot',
            targetType: 'DatasetSnapshot',
            targetId: snapshot.id,
            data: { datasetId: dataset.id, imageCount: images.length },
          },
          tx,
        );
        return snapshot;
      },
      // One consistent view of the image list, even while uploads go on.
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
  }

  async listSnapshots(
    actor: Actor,
    datasetId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<DatasetSnapshotConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    await this.find(db, datasetId);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.datasetSnapshot.findMany({
      where: { ...where, datasetId },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }
}
