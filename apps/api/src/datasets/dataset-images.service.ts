import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ImageLabel, Prisma, type PrismaClient } from '@padim/db';
import {
  ObjectStoreErrorCode,
  TenantObjectStore,
  checkUploadedObject,
  isObjectStoreError,
  tenantKey,
  type ObjectStore,
} from '@padim/storage';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { TenantDb } from '../database/tenant-db.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import { DatasetErrorCode, DatasetException } from './datasets.exception.js';
import { DatasetsService, datasetPrefix } from './datasets.service.js';
import type { ConfirmImageUploadsInput, RequestImageUploadsInput } from './dto/dataset.input.js';
import {
  ACCEPTED_CONTENT_TYPES,
  ImageRejectedError,
  ImageRejection,
  validateImageUpload,
  type ImageLimits,
  type InspectedImage,
} from './image-inspection.js';
import type { DatasetImage, DatasetImageConnection } from './models/dataset-image.model.js';
import type { ImageUploadResult, PresignedImageUpload } from './models/image-upload.model.js';

const MAX_FILE_NAME = 255;
/**
 * Image keys: `org/{org}/datasets/{dataset}/images/{uuid}-{sanitised file name}`. Presigned
 * uploads go to `.../uploads/{uuid}-{name}` (staging): confirm copies the checked bytes to the
 * images key, which no client ever had a URL for, and deletes the staging object, so a presigned
 * URL reused after confirmation cannot swap a checked image.
 */
const IMAGE_PART =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-([A-Za-z0-9._-]{1,120})$/;

/** The client's file name reduced to the key charset (display only; the content decides the type). */
function safeName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(-120);
  return cleaned || 'image';
}

function imagesFolder(organizationId: string, datasetId: string): string {
  return `${datasetPrefix(organizationId, datasetId)}images/`;
}

function uploadsFolder(organizationId: string, datasetId: string): string {
  return `${datasetPrefix(organizationId, datasetId)}uploads/`;
}

function newImageKey(
  organizationId: string,
  datasetId: string,
  fileName: string,
  folder: 'images' | 'uploads' = 'images',
): string {
  return tenantKey(
    organizationId,
    'datasets',
    datasetId,
    folder,
    `${randomUUID()}-${safeName(fileName)}`,
  );
}

const rejected = (
  reason: ImageRejection,
  message: string,
  file: { fileName: string | null; key: string | null },
  duplicateOf: DatasetImage | null = null,
): ImageUploadResult => ({
  ...file,
  ok: false,
  image: null,
  duplicateOf,
  error: { code: reason, message },
});

interface HttpError {
  status?: number;
}

@Injectable()
export class DatasetImagesService {
  private readonly limits: ImageLimits;

  constructor(
    private readonly tenants: TenantDb,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    private readonly audit: AuditService,
  ) {
    this.limits = { maxBytes: config.IMAGE_MAX_BYTES, maxPixels: config.IMAGE_MAX_PIXELS };
  }

  async list(
    actor: Actor,
    datasetId: string,
    label: ImageLabel | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<DatasetImageConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    await this.datasets.find(db, datasetId);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.datasetImage.findMany({
      where: { ...where, datasetId, ...(label ? { label } : {}) },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  /** A short-lived presigned GET URL of the image, for the dashboard. */
  async url(actor: Actor, image: DatasetImage): Promise<string> {
    const { organizationId } = this.tenants.for(actor, Permission.READ);
    return new TenantObjectStore(this.store, organizationId).presignedGetUrl(
      image.objectKey,
      this.config.DOWNLOAD_URL_TTL_SECONDS,
    );
  }

  /** Presigned PUT URLs, one per file; the client uploads, then calls `confirm`. */
  async requestUploads(
    actor: Actor,
    input: RequestImageUploadsInput,
  ): Promise<PresignedImageUpload[]> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const dataset = await this.datasets.find(db, input.datasetId);
    this.checkCount(input.files.length);
    const files = input.files.map((file) => {
      const fileName = file.fileName.trim();
      if (!fileName || fileName.length > MAX_FILE_NAME) {
        throw new DatasetException(
          DatasetErrorCode.INVALID_FILE,
          `file names must be 1 to ${MAX_FILE_NAME} characters`,
        );
      }
      if (!Number.isInteger(file.byteSize) || file.byteSize < 1) {
        throw new DatasetException(
          DatasetErrorCode.INVALID_FILE,
          `${fileName}: byteSize must be positive`,
        );
      }
      if (file.byteSize > this.config.IMAGE_MAX_BYTES) {
        throw new DatasetException(
          DatasetErrorCode.FILE_TOO_LARGE,
          `${fileName}: ${file.byteSize} bytes is more than the limit of ${this.config.IMAGE_MAX_BYTES}`,
        );
      }
      const contentType = file.contentType.trim().toLowerCase();
      if (!ACCEPTED_CONTENT_TYPES.has(contentType)) {
        throw new DatasetException(
          DatasetErrorCode.UNSUPPORTED_TYPE,
          `${fileName}: ${file.contentType} is not one of ${[...ACCEPTED_CONTENT_TYPES].join(', ')}`,
        );
      }
      return { fileName, byteSize: file.byteSize, contentType };
    });
    const store = new TenantObjectStore(this.store, organizationId);
    return Promise.all(
      files.map(async (file) => {
        const key = newImageKey(organizationId, dataset.id, file.fileName, 'uploads');
        const put = await store.presignedPutUrl(key, this.config.UPLOAD_URL_TTL_SECONDS, {
          contentType: file.contentType,
          maxBytes: file.byteSize,
        });
        return {
          fileName: file.fileName,
          key,
          url: put.url,
          method: put.method,
          headers: Object.entries(put.headers).map(([name, value]) => ({ name, value })),
          expiresAt: put.expiresAt,
        };
      }),
    );
  }

  /**
   * Checks each uploaded object (size, content, pixels, duplicates) and records the good ones.
   * Results are per key: one bad file never loses the others. A rejected object is deleted.
   */
  async confirm(actor: Actor, input: ConfirmImageUploadsInput): Promise<ImageUploadResult[]> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const dataset = await this.datasets.find(db, input.datasetId);
    this.checkCount(input.keys.length);
    const store = new TenantObjectStore(this.store, organizationId);
    const staging = uploadsFolder(organizationId, dataset.id);
    const images = imagesFolder(organizationId, dataset.id);
    const label = input.label ?? ImageLabel.UNKNOWN;
    const results: ImageUploadResult[] = [];
    for (const key of input.keys) {
      const match = key.startsWith(staging) ? IMAGE_PART.exec(key.slice(staging.length)) : null;
      if (!match) {
        // Another dataset's or organization's key, or no key this API issued: touch nothing.
        results.push(
          rejected(ImageRejection.NOT_FOUND, 'no upload with this key in this dataset', {
            fileName: null,
            key,
          }),
        );
        continue;
      }
      const file = { fileName: match[1]!, key };
      const finalKey = `${images}${key.slice(staging.length)}`;
      // Confirming twice is harmless: the image exists already (a re-upload to the old URL is dropped).
      const existing = await db.datasetImage.findFirst({
        where: { datasetId: dataset.id, objectKey: finalKey },
      });
      if (existing) {
        await store.delete(key);
        results.push({ ...file, ok: true, image: existing, duplicateOf: null, error: null });
        continue;
      }
      try {
        await checkUploadedObject(store, key, { maxBytes: this.config.IMAGE_MAX_BYTES });
        const bytes = await store.get(key);
        const inspected = await this.inspectOrDelete(store, key, bytes);
        // Store what was checked, with the type the content proved, under the final key.
        await store.put(finalKey, bytes, { contentType: inspected.contentType });
        await store.delete(key);
        try {
          results.push(
            await this.record(
              db,
              store,
              dataset.id,
              finalKey,
              inspected,
              file.fileName,
              label,
              file,
            ),
          );
        } catch (error) {
          await store.delete(finalKey).catch(() => undefined);
          throw error;
        }
      } catch (error) {
        results.push(this.rejection(error, file));
      }
    }
    await this.recordBatch(actor, db, organizationId, dataset.id, results);
    return results;
  }

  /** GraphQL multipart uploads (small files): the same checks, then stored under a fresh key. */
  async uploadMultipart(
    actor: Actor,
    datasetId: string,
    uploads: Promise<FileUpload>[],
    labelInput: ImageLabel | undefined,
  ): Promise<ImageUploadResult[]> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_DATASETS);
    const dataset = await this.datasets.find(db, datasetId);
    this.checkCount(uploads.length);
    const store = new TenantObjectStore(this.store, organizationId);
    const label = labelInput ?? ImageLabel.UNKNOWN;
    const maxBytes = Math.min(this.config.MULTIPART_MAX_FILE_BYTES, this.config.IMAGE_MAX_BYTES);
    const results: ImageUploadResult[] = [];
    for (const upload of uploads) {
      const file: { fileName: string | null; key: string | null } = { fileName: null, key: null };
      try {
        const received = await asRejection(upload);
        file.fileName = received.filename.slice(0, MAX_FILE_NAME) || null;
        const bytes = await asRejection(readUpload(received, maxBytes));
        const inspected = await validateImageUpload(bytes, this.limits);
        const duplicate = await db.datasetImage.findFirst({
          where: { datasetId: dataset.id, sha256: inspected.sha256 },
        });
        if (duplicate) {
          results.push(this.duplicate(file, duplicate));
          continue;
        }
        const key = newImageKey(organizationId, dataset.id, file.fileName ?? 'image');
        await store.put(key, bytes, { contentType: inspected.contentType });
        try {
          results.push(
            await this.record(db, store, dataset.id, key, inspected, file.fileName, label, file),
          );
        } catch (error) {
          await store.delete(key).catch(() => undefined);
          throw error;
        }
      } catch (error) {
        results.push(this.rejection(error, file));
      }
    }
    await this.recordBatch(actor, db, organizationId, dataset.id, results);
    return results;
  }

  private checkCount(count: number): void {
    const max = this.config.UPLOAD_MAX_FILES;
    if (count < 1 || count > max) {
      throw new DatasetException(
        DatasetErrorCode.TOO_MANY_FILES,
        `send 1 to ${max} files per call`,
      );
    }
  }

  private async inspectOrDelete(
    store: TenantObjectStore,
    key: string,
    bytes: Uint8Array,
  ): Promise<InspectedImage> {
    try {
      return await validateImageUpload(bytes, this.limits);
    } catch (error) {
      await store.delete(key);
      throw error;
    }
  }

  /**
   * Inserts the row. The (dataset, sha256) unique key decides duplicates, also between concurrent
   * batches; the losing object is deleted unless it is the very object the winner recorded.
   */
  private async record(
    db: PrismaClient,
    store: TenantObjectStore,
    datasetId: string,
    key: string,
    image: InspectedImage,
    originalName: string | null,
    label: ImageLabel,
    file: { fileName: string | null; key: string | null },
  ): Promise<ImageUploadResult> {
    const duplicate = await db.datasetImage.findFirst({
      where: { datasetId, sha256: image.sha256 },
    });
    if (!duplicate) {
      try {
        const created = await db.datasetImage.create({
          data: {
            organizationId: store.organizationId,
            datasetId,
            objectKey: key,
            sha256: image.sha256,
            width: image.width,
            height: image.height,
            bytes: image.bytes,
            contentType: image.contentType,
            label,
            originalName,
          },
        });
        return { ...file, ok: true, image: created, duplicateOf: null, error: null };
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) {
          throw error;
        }
      }
    }
    const winner =
      duplicate ??
      (await db.datasetImage.findFirst({ where: { datasetId, sha256: image.sha256 } }));
    if (winner?.objectKey !== key) await store.delete(key);
    return this.duplicate(file, winner ?? null);
  }

  private duplicate(
    file: { fileName: string | null; key: string | null },
    existing: DatasetImage | null,
  ): ImageUploadResult {
    return rejected(
      ImageRejection.DUPLICATE,
      'an image with the same bytes is already in this dataset',
      file,
      existing,
    );
  }

  /** Expected per-file failures become results; anything else (store down, bug) propagates. */
  private rejection(
    error: unknown,
    file: { fileName: string | null; key: string | null },
  ): ImageUploadResult {
    if (error instanceof ImageRejectedError) return rejected(error.reason, error.message, file);
    if (isObjectStoreError(error, ObjectStoreErrorCode.TOO_LARGE)) {
      return rejected(
        ImageRejection.TOO_LARGE,
        `more than ${this.config.IMAGE_MAX_BYTES} bytes`,
        file,
      );
    }
    if (isObjectStoreError(error, ObjectStoreErrorCode.NOT_FOUND)) {
      return rejected(ImageRejection.NOT_FOUND, 'nothing was uploaded under this key', file);
    }
    const status = (error as HttpError | null)?.status;
    if (status === 413) {
      return rejected(ImageRejection.TOO_LARGE, 'the file exceeds the multipart size limit', file);
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return rejected(ImageRejection.CORRUPT, 'the file did not arrive completely', file);
    }
    throw error;
  }

  private async recordBatch(
    actor: Actor,
    db: PrismaClient,
    organizationId: string,
    datasetId: string,
    results: ImageUploadResult[],
  ): Promise<void> {
    const added = results.filter((r) => r.ok).length;
    if (added === 0) return;
    await this.audit.record(
      actor,
      {
        organizationId,
        action: 'dataset.images_add',
        targetType: 'Dataset',
        targetId: datasetId,
        data: { added, rejected: results.length - added },
      },
      db,
    );
  }
}

/** Reads a multipart file into memory, refusing more than `maxBytes`. */
/**
 * A multipart file that cannot be read (e.g. a malformed part header) is that file's problem, not
 * the server's: it becomes a CORRUPT rejection; an oversized one keeps its 413 for TOO_LARGE.
 */
export async function asRejection<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if ((error as HttpError | null)?.status === 413 || error instanceof ImageRejectedError)
      throw error;
    throw new ImageRejectedError(
      ImageRejection.CORRUPT,
      'the file could not be read from the request',
    );
  }
}

export async function readUpload(file: FileUpload, maxBytes: number): Promise<Uint8Array> {
  const stream = file.createReadStream();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new ImageRejectedError(ImageRejection.TOO_LARGE, `more than ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
