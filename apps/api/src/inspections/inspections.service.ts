import { Injectable } from '@nestjs/common';
import { InspectionStatus, Prisma, type Inspection as InspectionRow } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { isStorableDate, pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import type { InspectionFilter } from './dto/inspections.args.js';
import type { ReviewInspectionInput } from './dto/review.input.js';
import { InspectionErrorCode, InspectionException } from './inspections.exception.js';
import type {
  Inspection,
  InspectionConnection,
  InspectionRegion,
} from './models/inspection.model.js';
import type { Review } from './models/review.model.js';

const MAX_NOTE = 2000;
const REGION_KEYS = ['x', 'y', 'width', 'height', 'area', 'maxScore'] as const;

/** The worker writes regions as JSON; only well-formed entries are shown. */
function regionsOf(value: Prisma.JsonValue | null): InspectionRegion[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
    const r = entry as Record<string, unknown>;
    if (!REGION_KEYS.every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]))) return [];
    const n = r as Record<(typeof REGION_KEYS)[number], number>;
    return [
      {
        x: Math.round(n.x),
        y: Math.round(n.y),
        width: Math.round(n.width),
        height: Math.round(n.height),
        area: Math.round(n.area),
        maxScore: n.maxScore,
      },
    ];
  });
}

export function toInspection(row: InspectionRow): Inspection {
  return { ...row, regions: regionsOf(row.regions) };
}

function invalid(message: string): never {
  throw new InspectionException(InspectionErrorCode.INVALID_FILTER, message);
}

/**
 * The filter as Prisma conditions. Each selective condition has an index that also serves the
 * (createdAt, id) order: (organizationId, productModelId | modelVersionId | verdict, createdAt, id).
 */
function filterWhere(filter: InspectionFilter | undefined): Prisma.InspectionWhereInput[] {
  if (!filter) return [];
  const where: Prisma.InspectionWhereInput[] = [];
  const { minScore, maxScore, from, to } = filter;
  if (filter.productModelId) where.push({ productModelId: filter.productModelId });
  if (filter.modelVersionId) where.push({ modelVersionId: filter.modelVersionId });
  if (filter.verdict) where.push({ verdict: filter.verdict });
  for (const [name, v] of [
    ['minScore', minScore],
    ['maxScore', maxScore],
  ] as const) {
    if (v !== undefined && v !== null && !Number.isFinite(v)) invalid(`${name} must be finite`);
  }
  if (minScore != null && maxScore != null && minScore > maxScore)
    invalid('minScore must not exceed maxScore');
  if (minScore != null || maxScore != null)
    where.push({
      score: {
        ...(minScore != null ? { gte: minScore } : {}),
        ...(maxScore != null ? { lte: maxScore } : {}),
      },
    });
  for (const [name, d] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (d != null && !isStorableDate(d)) invalid(`${name} is not a valid time (years 1 to 9999)`);
  }
  if (from && to && from > to) invalid('from must not be after to');
  if (from || to)
    where.push({ createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } });
  if (filter.batchId) where.push({ batchId: filter.batchId });
  if (filter.status) where.push({ status: filter.status });
  if (filter.reviewed === true) where.push({ review: { isNot: null } });
  if (filter.reviewed === false) where.push({ review: { is: null } });
  return where;
}

@Injectable()
export class InspectionsService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    filter: InspectionFilter | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<InspectionConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const window = pageWindow({ first, after });
    const conditions = filterWhere(filter);
    // A foreign (or unknown) product model or version is NOT_FOUND, like every other id.
    if (filter?.productModelId) {
      const found = await db.productModel.findFirst({
        where: { id: filter.productModelId },
        select: { id: true },
      });
      if (!found)
        throw new InspectionException(
          InspectionErrorCode.PRODUCT_MODEL_NOT_FOUND,
          'no such product model',
        );
    }
    if (filter?.modelVersionId) {
      const found = await db.modelVersion.findFirst({
        where: { id: filter.modelVersionId },
        select: { id: true },
      });
      if (!found)
        throw new InspectionException(
          InspectionErrorCode.MODEL_VERSION_NOT_FOUND,
          'no such model version',
        );
    }
    const rows = await db.inspection.findMany({
      where: { AND: [window.where as Prisma.InspectionWhereInput, ...conditions] },
      orderBy: window.orderBy,
      take: window.take,
    });
    return toConnection(rows, window.size, toInspection);
  }

  async get(actor: Actor, id: string): Promise<Inspection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const row = await db.inspection.findFirst({
      where: { id },
    });
    if (!row) throw new InspectionException(InspectionErrorCode.NOT_FOUND, 'no such inspection');
    return toInspection(row);
  }

  /**
   * One review per inspection. Reviewing again changes it in place (the schema's design) and the
   * audit log keeps what it was; a review already folded into a model version is final (CONFLICT).
   */
  async review(actor: Actor, input: ReviewInspectionInput): Promise<Review> {
    const { organizationId, db } = this.tenants.for(actor, Permission.REVIEW);
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE)
      throw new InspectionException(
        InspectionErrorCode.INVALID_NOTE,
        `the note is limited to ${MAX_NOTE} characters`,
      );
    try {
      return await db.$transaction(async (tx) => {
        const inspection = await tx.inspection.findFirst({
          where: { id: input.inspectionId },
          select: { id: true, status: true, verdict: true, score: true },
        });
        if (!inspection)
          throw new InspectionException(InspectionErrorCode.NOT_FOUND, 'no such inspection');
        if (inspection.status !== InspectionStatus.COMPLETED)
          throw new InspectionException(
            InspectionErrorCode.NOT_COMPLETED,
            `only a completed inspection can be reviewed (this one is ${inspection.status})`,
          );
        const existing = await tx.review.findFirst({ where: { inspectionId: inspection.id } });
        if (existing?.absorbedIntoVersionId)
          throw new InspectionException(
            InspectionErrorCode.REVIEW_ABSORBED,
            'this review was already folded into a model version and cannot change',
          );
        const data = { verdict: input.verdict, note, reviewerId: actor.userId };
        const review = existing
          ? await tx.review.update({ where: { id: existing.id }, data })
          : await tx.review.create({
              data: { ...data, organizationId, inspectionId: inspection.id },
            });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: existing ? 'review.update' : 'review.create',
            targetType: 'Inspection',
            targetId: inspection.id,
            data: {
              reviewId: review.id,
              verdict: review.verdict,
              note,
              detectorVerdict: inspection.verdict,
              score: inspection.score,
              ...(existing
                ? {
                    previousVerdict: existing.verdict,
                    previousNote: existing.note,
                    previousReviewerId: existing.reviewerId,
                  }
                : {}),
            },
          },
          tx,
        );
        return review;
      });
    } catch (error) {
      // Two first reviews at once: the unique inspectionId lets one win.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw new InspectionException(
          InspectionErrorCode.REVIEW_RACE,
          'the inspection was reviewed at the same moment; try again',
        );
      throw error;
    }
  }
}
