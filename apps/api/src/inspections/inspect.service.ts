import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InspectionStatus, type Inspection as InspectionRow, type PrismaClient } from '@padim/db';
import {
  VersionSelectionError,
  VersionSelectionErrorCode,
  enqueueInspection,
  selectScoringVersion,
  type SelectedVersion,
} from '@padim/jobs';
import { eventChannel, type EventBus, type JobQueue, type JsonValue } from '@padim/queue';
import { TenantObjectStore, tenantKey, type ObjectStore } from '@padim/storage';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { TenantDb } from '../database/tenant-db.js';
import { asRejection, readUpload } from '../datasets/dataset-images.service.js';
import {
  ImageRejectedError,
  ImageRejection,
  validateImageUpload,
  type ImageLimits,
} from '../datasets/image-inspection.js';
import { EVENT_BUS } from '../events/event-bus.token.js';
import { toInspection } from './inspections.service.js';
import type { Inspection } from './models/inspection.model.js';
import { JOB_QUEUE } from '../pipeline/pipeline.tokens.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import type { InspectionBatch, InspectionUploadResult } from './models/inspection-batch.model.js';
import { InspectionErrorCode, InspectionException } from './inspections.exception.js';

const MAX_SOURCE = 200;

const VERSION_ERRORS: Record<VersionSelectionErrorCode, InspectionErrorCode> = {
  [VersionSelectionErrorCode.PRODUCT_MODEL_NOT_FOUND]: InspectionErrorCode.PRODUCT_MODEL_NOT_FOUND,
  [VersionSelectionErrorCode.NO_ACTIVE_VERSION]: InspectionErrorCode.NO_ACTIVE_VERSION,
  [VersionSelectionErrorCode.MODEL_VERSION_NOT_FOUND]: InspectionErrorCode.MODEL_VERSION_NOT_FOUND,
  [VersionSelectionErrorCode.MODEL_VERSION_NOT_READY]: InspectionErrorCode.MODEL_VERSION_NOT_READY,
};

/** Upload failures that are the file's fault, as typed rejections (the rest propagate). */
function toRejection(error: unknown): ImageRejectedError {
  if (error instanceof ImageRejectedError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 413)
    return new ImageRejectedError(
      ImageRejection.TOO_LARGE,
      'the file exceeds the multipart size limit',
    );
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new ImageRejectedError(ImageRejection.CORRUPT, 'the file did not arrive completely');
  throw error;
}
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
  'image/webp': 'webp',
};

/**
 * Submitting images for inspection. The API stores the image, writes a PENDING Inspection row and
 * enqueues it; the worker scores it (the CNN never runs in the API process). `inspectImage` waits
 * for the result up to INSPECT_SYNC_TIMEOUT_MS (answering PENDING after that); `inspectImages`
 * answers at once and results arrive on the inspectionCompleted subscription.
 */
@Injectable()
export class InspectService {
  private readonly logger = new Logger('Inspect');
  private readonly limits: ImageLimits;

  constructor(
    private readonly tenants: TenantDb,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.limits = { maxBytes: config.IMAGE_MAX_BYTES, maxPixels: config.IMAGE_MAX_PIXELS };
  }

  /** The READY version that answers: the platform's one rule (@padim/jobs), shared with /predict. */
  private async versionFor(
    db: PrismaClient,
    productModelId: string,
    modelVersionId: string | undefined,
  ): Promise<SelectedVersion> {
    try {
      return await selectScoringVersion(db, productModelId, modelVersionId);
    } catch (error) {
      if (error instanceof VersionSelectionError)
        throw new InspectionException(VERSION_ERRORS[error.code], error.message);
      throw error;
    }
  }

  private checkSource(source: string | undefined): string | null {
    const value = source?.trim() || null;
    if (value && value.length > MAX_SOURCE)
      throw new InspectionException(
        InspectionErrorCode.INVALID_SOURCE,
        `source is limited to ${MAX_SOURCE} characters`,
      );
    return value;
  }

  /** Reads, checks and stores one upload; writes its PENDING row. Rejections are typed. */
  private async accept(
    { organizationId, db }: { organizationId: string; db: PrismaClient },
    version: { id: string; productModelId: string },
    upload: Promise<FileUpload>,
    source: string | null,
    batchId: string | null,
    file: { fileName: string | null },
  ): Promise<InspectionRow> {
    const received = await asRejection(upload);
    file.fileName = received.filename.slice(0, 255) || null;
    const maxBytes = Math.min(this.config.MULTIPART_MAX_FILE_BYTES, this.config.IMAGE_MAX_BYTES);
    const bytes = await asRejection(readUpload(received, maxBytes));
    const inspected = await validateImageUpload(bytes, this.limits);
    const store = new TenantObjectStore(this.store, organizationId);
    const key = tenantKey(
      organizationId,
      'inspections',
      'images',
      `${randomUUID()}.${EXTENSIONS[inspected.contentType] ?? 'img'}`,
    );
    await store.put(key, bytes, { contentType: inspected.contentType });
    try {
      return await db.inspection.create({
        data: {
          organizationId,
          productModelId: version.productModelId,
          modelVersionId: version.id,
          status: InspectionStatus.PENDING,
          imageKey: key,
          imageSha256: inspected.sha256,
          imageWidth: inspected.width,
          imageHeight: inspected.height,
          source,
          batchId,
        },
      });
    } catch (error) {
      await store.delete(key).catch(() => undefined);
      throw error;
    }
  }

  private async enqueue(row: InspectionRow, batch: boolean): Promise<void> {
    try {
      await enqueueInspection(this.queue, row, { batch });
    } catch (error) {
      // The row stays PENDING; the worker's sweeper enqueues PENDING rows it finds (same job id).
      this.logger.error(`enqueue of inspection ${row.id} failed: ${String(error)}`);
    }
  }

  /**
   * One image, answered with its result when the worker finishes within the timeout (else the
   * PENDING inspection, whose result arrives on the subscription and in `inspection(id)`).
   */
  async inspectOne(
    actor: Actor,
    productModelId: string,
    upload: Promise<FileUpload>,
    options: { source?: string; modelVersionId?: string; waitMs?: number },
  ): Promise<Inspection> {
    const { organizationId, db } = this.tenants.for(actor, Permission.INSPECT);
    const source = this.checkSource(options.source);
    const version = await this.versionFor(db, productModelId, options.modelVersionId);
    const waitMs = Math.max(
      0,
      Math.min(
        options.waitMs ?? this.config.INSPECT_SYNC_TIMEOUT_MS,
        this.config.INSPECT_SYNC_TIMEOUT_MS,
      ),
    );
    let row: InspectionRow;
    try {
      row = await this.accept({ organizationId, db }, version, upload, source, null, {
        fileName: null,
      });
    } catch (error) {
      const rejection = toRejection(error);
      throw new InspectionException(
        InspectionErrorCode.INVALID_IMAGE,
        `${rejection.reason}: ${rejection.message}`,
      );
    }
    await this.enqueue(row, false);
    if (waitMs > 0) {
      // The completion event ends the wait early; the row is polled besides (an event published
      // before the subscription, or a bus outage, costs at most a poll interval, never a hang).
      let settle: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      const listen = this.bus.subscribe(eventChannel(organizationId), (event: JsonValue) => {
        const e = event as { type?: string; inspectionId?: string };
        if (e.type === 'inspection.completed' && e.inspectionId === row.id) settle();
      });
      listen.catch((error: unknown) => this.logger.warn(`event bus: ${String(error)}`));
      try {
        await this.waitFor(db, row.id, done, waitMs);
      } finally {
        void listen.then((unsubscribe) => unsubscribe()).catch(() => undefined);
      }
    }
    return toInspection(await db.inspection.findFirstOrThrow({ where: { id: row.id } }));
  }

  /** Until the completion event, or the row is finished (a missed event), or the timeout. */
  private async waitFor(
    db: PrismaClient,
    id: string,
    event: Promise<void>,
    waitMs: number,
  ): Promise<void> {
    const deadline = Date.now() + waitMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      while (Date.now() < deadline) {
        const tick = new Promise<'tick'>((resolve) => {
          timer = setTimeout(() => resolve('tick'), Math.min(1000, deadline - Date.now()));
        });
        if ((await Promise.race([event.then(() => 'event' as const), tick])) === 'event') return;
        const row = await db.inspection.findFirst({ where: { id }, select: { status: true } });
        if (row?.status === InspectionStatus.COMPLETED || row?.status === InspectionStatus.FAILED)
          return;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Many images, answered at once (PENDING rows); results stream on inspectionCompleted. */
  async inspectMany(
    actor: Actor,
    productModelId: string,
    uploads: Promise<FileUpload>[],
    options: { source?: string; modelVersionId?: string },
  ): Promise<InspectionBatch> {
    const { organizationId, db } = this.tenants.for(actor, Permission.INSPECT);
    const max = this.config.MULTIPART_MAX_FILES;
    if (uploads.length < 1 || uploads.length > max)
      throw new InspectionException(
        InspectionErrorCode.TOO_MANY_FILES,
        `send 1 to ${max} files per call`,
      );
    const source = this.checkSource(options.source);
    const version = await this.versionFor(db, productModelId, options.modelVersionId);
    const batchId = randomUUID();
    const results: InspectionUploadResult[] = [];
    for (const upload of uploads) {
      const file = { fileName: null as string | null };
      try {
        const row = await this.accept(
          { organizationId, db },
          version,
          upload,
          source,
          batchId,
          file,
        );
        await this.enqueue(row, true);
        results.push({
          fileName: file.fileName,
          ok: true,
          inspection: toInspection(row),
          error: null,
        });
      } catch (caught) {
        const error = toRejection(caught);
        results.push({
          fileName: file.fileName,
          ok: false,
          inspection: null,
          error: { code: error.reason, message: error.message },
        });
      }
    }
    await this.audit.record(
      actor,
      {
        organizationId,
        action: 'inspection.batch',
        targetType: 'ProductModel',
        targetId: version.productModelId,
        data: {
          batchId,
          modelVersionId: version.id,
          accepted: results.filter((r) => r.ok).length,
          rejected: results.filter((r) => !r.ok).length,
        },
      },
      db,
    );
    return { batchId, results };
  }

  /** Presigned GET URLs of an inspection's image and heatmap (the caller's tenant only). */
  async url(
    actor: Actor,
    inspection: Inspection,
    which: 'image' | 'heatmap',
  ): Promise<string | null> {
    const { organizationId } = this.tenants.for(actor, Permission.READ);
    const key = which === 'image' ? inspection.imageKey : inspection.mapKey;
    if (!key) return null;
    const store = new TenantObjectStore(this.store, organizationId);
    return store.presignedGetUrl(key, this.config.DOWNLOAD_URL_TTL_SECONDS);
  }
}
