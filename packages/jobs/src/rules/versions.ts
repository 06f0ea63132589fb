/**
 * Which model version scores an image, in one place for GraphQL inspections and POST /predict: the
 * version asked for (it must belong to the product model) or the product model's active one, and
 * it must be READY. Reads go through the caller's tenant-scoped client, so another organization's
 * ids are simply not found.
 */
import { ModelVersionStatus, type PrismaClient } from '@padim/db';

export enum VersionSelectionErrorCode {
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  NO_ACTIVE_VERSION = 'NO_ACTIVE_VERSION',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  MODEL_VERSION_NOT_READY = 'MODEL_VERSION_NOT_READY',
}

export class VersionSelectionError extends Error {
  override readonly name = 'VersionSelectionError';
  constructor(
    readonly code: VersionSelectionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SelectedVersion {
  readonly id: string;
  readonly productModelId: string;
}

/** The READY version that answers for `productModelId`; throws VersionSelectionError. */
export async function selectScoringVersion(
  db: Pick<PrismaClient, 'productModel' | 'modelVersion'>,
  productModelId: string,
  modelVersionId?: string | null,
): Promise<SelectedVersion> {
  const product = await db.productModel.findFirst({
    where: { id: productModelId },
    select: { id: true, activeVersionId: true },
  });
  if (!product)
    throw new VersionSelectionError(
      VersionSelectionErrorCode.PRODUCT_MODEL_NOT_FOUND,
      `product model ${productModelId} not found`,
    );
  const id = modelVersionId ?? product.activeVersionId;
  if (!id)
    throw new VersionSelectionError(
      VersionSelectionErrorCode.NO_ACTIVE_VERSION,
      `product model ${productModelId} has no active version: train one, promote one or name a READY version`,
    );
  const version = await db.modelVersion.findFirst({
    where: { id, productModelId: product.id },
    select: { id: true, status: true, productModelId: true },
  });
  if (!version)
    throw new VersionSelectionError(
      VersionSelectionErrorCode.MODEL_VERSION_NOT_FOUND,
      `model version ${id} of product model ${productModelId} not found`,
    );
  if (version.status !== ModelVersionStatus.READY)
    throw new VersionSelectionError(
      VersionSelectionErrorCode.MODEL_VERSION_NOT_READY,
      `model version ${id} is ${version.status}, not READY`,
    );
  return { id: version.id, productModelId: version.productModelId };
}

/** The version's current threshold (the newest row), or null before any. */
export async function currentThreshold(
  db: Pick<PrismaClient, 'threshold'>,
  modelVersionId: string,
): Promise<{ id: string; value: number } | null> {
  return db.threshold.findFirst({
    where: { modelVersionId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, value: true },
  });
}
