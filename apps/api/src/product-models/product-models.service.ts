import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '@padim/db';
import DataLoader from 'dataloader';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import { datasetPrefix } from '../datasets/datasets.service.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import { TenantObjectStore, type ObjectStore } from '@padim/storage';
import type {
  CreateProductModelInput,
  UpdateProductModelInput,
} from './dto/product-model.input.js';
import type { ProductModelsArgs } from './dto/product-models.args.js';
import type { ProductModel, ProductModelConnection } from './models/product-model.model.js';
import { ProductModelErrorCode, ProductModelException } from './product-models.exception.js';

export const NAME_MAX = 200;
export const CAMERA_POSE_MAX = 100;
export const DESCRIPTION_MAX = 2000;
export const DEFAULT_CAMERA_POSE = 'default';

/**
 * Writing needs MANAGE_MODELS: a product model is the detector's identity (its versions,
 * thresholds and inspections hang off it), so it sits with the model permissions rather than
 * with project administration. Both are ENGINEER+ today.
 */
const WRITE = Permission.MANAGE_MODELS;

// PostgreSQL text cannot hold NUL: such input would fail in the database, so it is refused here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/** An id that cannot exist (it could not be stored) is simply not found. */
const storableId = (id: string): boolean => !NUL.test(id);

function required(value: string, max: number, code: ProductModelErrorCode, what: string): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max || CONTROL.test(trimmed)) {
    throw new ProductModelException(
      code,
      `the ${what} must be 1 to ${max} characters, without control characters`,
    );
  }
  return trimmed;
}

const checkName = (name: string) =>
  required(name, NAME_MAX, ProductModelErrorCode.INVALID_NAME, 'name');
const checkPose = (pose: string) =>
  required(pose, CAMERA_POSE_MAX, ProductModelErrorCode.INVALID_CAMERA_POSE, 'camera pose');

function checkDescription(description: string): string | null {
  const trimmed = description.trim();
  if (trimmed.length > DESCRIPTION_MAX || NUL.test(trimmed)) {
    throw new ProductModelException(
      ProductModelErrorCode.INVALID_DESCRIPTION,
      `the description must be at most ${DESCRIPTION_MAX} characters, without NUL`,
    );
  }
  return trimmed || null;
}

function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

const nameTaken = () =>
  new ProductModelException(
    ProductModelErrorCode.NAME_TAKEN,
    'this project already has a product model with this name and camera pose',
  );
const notFound = () =>
  new ProductModelException(ProductModelErrorCode.NOT_FOUND, 'no such product model');
const projectNotFound = () =>
  new ProductModelException(ProductModelErrorCode.PROJECT_NOT_FOUND, 'no such project');

@Injectable()
export class ProductModelsService {
  /** Per request (keyed by the request object), per organization: batches Project.productModels. */
  private readonly loaders = new WeakMap<object, Map<string, DataLoader<string, ProductModel[]>>>();

  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  async list(actor: Actor, args: ProductModelsArgs): Promise<ProductModelConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow(args);
    if (args.projectId !== undefined && args.projectId !== null) {
      if (!storableId(args.projectId)) throw projectNotFound();
      const project = await db.project.findFirst({
        where: { id: args.projectId },
        select: { id: true },
      });
      if (!project) throw projectNotFound();
    }
    const rows = await db.productModel.findMany({
      where: { ...where, ...(args.projectId ? { projectId: args.projectId } : {}) },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  async get(actor: Actor, id: string): Promise<ProductModel> {
    const { db } = this.tenants.for(actor, Permission.READ);
    if (!storableId(id)) throw notFound();
    const row = await db.productModel.findFirst({
      where: { id },
    });
    if (!row) throw notFound();
    return row;
  }

  /** The product models of one project (all of them, by name), batched per request. */
  async ofProject(actor: Actor, request: object, projectId: string): Promise<ProductModel[]> {
    const { organizationId, db } = this.tenants.for(actor, Permission.READ);
    let byOrganization = this.loaders.get(request);
    if (!byOrganization) {
      byOrganization = new Map();
      this.loaders.set(request, byOrganization);
    }
    let loader = byOrganization.get(organizationId);
    if (!loader) {
      loader = new DataLoader(async (projectIds: readonly string[]) => {
        const rows = await db.productModel.findMany({
          where: { projectId: { in: [...projectIds] } },
          orderBy: [{ name: 'asc' }, { cameraPose: 'asc' }],
        });
        const grouped = new Map<string, ProductModel[]>(projectIds.map((id) => [id, []]));
        for (const row of rows) grouped.get(row.projectId)?.push(row);
        return projectIds.map((id) => grouped.get(id) ?? []);
      });
      byOrganization.set(organizationId, loader);
    }
    return loader.load(projectId);
  }

  async create(actor: Actor, input: CreateProductModelInput): Promise<ProductModel> {
    const { organizationId, db } = this.tenants.for(actor, WRITE);
    const name = checkName(input.name);
    const cameraPose =
      input.cameraPose === undefined || input.cameraPose === null
        ? DEFAULT_CAMERA_POSE
        : checkPose(input.cameraPose);
    const description =
      input.description === undefined || input.description === null
        ? null
        : checkDescription(input.description);
    if (!storableId(input.projectId)) throw projectNotFound();
    const project = await db.project.findFirst({
      where: { id: input.projectId },
      select: { id: true },
    });
    if (!project) throw projectNotFound();
    try {
      return await db.$transaction(async (tx) => {
        const row = await tx.productModel.create({
          data: { organizationId, projectId: project.id, name, cameraPose, description },
        });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'product_model.create',
            targetType: 'ProductModel',
            targetId: row.id,
            data: { projectId: row.projectId, name, cameraPose },
          },
          tx,
        );
        return row;
      });
    } catch (error) {
      const code = prismaCode(error);
      if (code === 'P2002') throw nameTaken();
      // The project was deleted between the check and the insert.
      if (code === 'P2003') throw projectNotFound();
      throw error;
    }
  }

  async update(actor: Actor, input: UpdateProductModelInput): Promise<ProductModel> {
    const { organizationId, db } = this.tenants.for(actor, WRITE);
    if (!storableId(input.id)) throw notFound();
    const data = {
      ...(input.name !== undefined && input.name !== null ? { name: checkName(input.name) } : {}),
      ...(input.cameraPose !== undefined && input.cameraPose !== null
        ? { cameraPose: checkPose(input.cameraPose) }
        : {}),
      ...(input.description !== undefined && input.description !== null
        ? { description: checkDescription(input.description) }
        : {}),
    };
    try {
      return await db.$transaction(async (tx) => {
        const before = await tx.productModel.findFirst({ where: { id: input.id } });
        if (!before) throw notFound();
        const row = await tx.productModel.update({ where: { id: before.id }, data });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'product_model.update',
            targetType: 'ProductModel',
            targetId: row.id,
            data: {
              before: {
                name: before.name,
                cameraPose: before.cameraPose,
                description: before.description,
              },
              after: { name: row.name, cameraPose: row.cameraPose, description: row.description },
            },
          },
          tx,
        );
        return row;
      });
    } catch (error) {
      const code = prismaCode(error);
      if (code === 'P2002') throw nameTaken();
      if (code === 'P2025') throw notFound();
      throw error;
    }
  }

  /** Deletes the product model with everything it owns (datasets, versions, inspections). */
  async delete(actor: Actor, id: string): Promise<ProductModel> {
    const { organizationId, db } = this.tenants.for(actor, WRITE);
    if (!storableId(id)) throw notFound();
    try {
      let datasetIds: string[] = [];
      const deleted = await db.$transaction(async (tx) => {
        const row = await tx.productModel.findFirst({ where: { id } });
        if (!row) throw notFound();
        datasetIds = (
          await tx.dataset.findMany({ where: { productModelId: row.id }, select: { id: true } })
        ).map((d) => d.id);
        await tx.productModel.delete({ where: { id: row.id } });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'product_model.delete',
            targetType: 'ProductModel',
            targetId: row.id,
            data: { projectId: row.projectId, name: row.name, cameraPose: row.cameraPose },
          },
          tx,
        );
        return row;
      });
      // The rows are gone: their images follow (objects are removed after the commit, so a failed
      // delete never leaves rows pointing at missing objects).
      const tenantStore = new TenantObjectStore(this.store, organizationId);
      for (const datasetId of datasetIds)
        await tenantStore.deletePrefix(datasetPrefix(organizationId, datasetId));
      return deleted;
    } catch (error) {
      const code = prismaCode(error);
      if (code === 'P2025') throw notFound();
      // History elsewhere still points into it (e.g. a version of another product model trained
      // on one of its snapshots): refuse rather than break that history.
      if (code === 'P2003' || code === 'P2014') {
        throw new ProductModelException(
          ProductModelErrorCode.IN_USE,
          'other records still refer to this product model',
        );
      }
      throw error;
    }
  }
}
