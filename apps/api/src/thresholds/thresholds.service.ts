import { Injectable } from '@nestjs/common';
import { ThresholdMethod, type PrismaClient, type Threshold as ThresholdRow } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import type { SetThresholdInput } from './dto/threshold.input.js';
import type { Threshold, ThresholdConnection } from './models/threshold.model.js';
import { ThresholdErrorCode, ThresholdException } from './thresholds.exception.js';

const MAX_REASON = 1000;
const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] as const;

function withPrevious(row: ThresholdRow, older: ThresholdRow | undefined): Threshold {
  return { ...row, previousValue: older?.value ?? null };
}

/**
 * Threshold history. Rows are only ever inserted; the one in force is the newest. Calibrated
 * thresholds come from the training pipeline (issue 5); people set MANUAL ones here.
 */
@Injectable()
export class ThresholdsService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
  ) {}

  private async requireVersion(db: Pick<PrismaClient, 'modelVersion'>, id: string): Promise<void> {
    const found = await db.modelVersion.findFirst({ where: { id }, select: { id: true } });
    if (!found)
      throw new ThresholdException(
        ThresholdErrorCode.MODEL_VERSION_NOT_FOUND,
        'no such model version',
      );
  }

  async history(
    actor: Actor,
    modelVersionId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ThresholdConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    await this.requireVersion(db, modelVersionId);
    // One row beyond the page's look-ahead row: the previous value of the page's last entry.
    const rows = await db.threshold.findMany({
      where: { ...where, modelVersionId },
      orderBy,
      take: take + 1,
    });
    const page = rows.slice(0, size + 1).map((row, i) => withPrevious(row, rows[i + 1]));
    return toConnection(page, size);
  }

  async active(actor: Actor, modelVersionId: string): Promise<Threshold | null> {
    const { db } = this.tenants.for(actor, Permission.READ);
    await this.requireVersion(db, modelVersionId);
    const [current, older] = await db.threshold.findMany({
      where: { modelVersionId },
      orderBy: [...NEWEST_FIRST],
      take: 2,
    });
    return current ? withPrevious(current, older) : null;
  }

  /** A manual override: a new MANUAL row and its audit event, in one transaction. */
  async set(actor: Actor, input: SetThresholdInput): Promise<Threshold> {
    const { organizationId, db } = this.tenants.for(actor, Permission.SET_THRESHOLDS);
    if (!Number.isFinite(input.value) || input.value < 0)
      throw new ThresholdException(
        ThresholdErrorCode.INVALID_VALUE,
        'the threshold must be a finite number >= 0',
      );
    const reason = input.reason?.trim() || null;
    if (reason && reason.length > MAX_REASON)
      throw new ThresholdException(
        ThresholdErrorCode.INVALID_REASON,
        `the reason is limited to ${MAX_REASON} characters`,
      );
    return db.$transaction(async (tx) => {
      await this.requireVersion(tx, input.modelVersionId);
      // Serialise concurrent overrides of one version, so each records the value it replaced.
      // The version was just found through the tenant client; the lock only orders writers.
      await tx.$queryRaw`SELECT id FROM "ModelVersion" WHERE id = ${input.modelVersionId} FOR UPDATE`;
      const previous = await tx.threshold.findFirst({
        where: { modelVersionId: input.modelVersionId },
        orderBy: [...NEWEST_FIRST],
      });
      const row = await tx.threshold.create({
        data: {
          organizationId,
          modelVersionId: input.modelVersionId,
          value: input.value,
          method: ThresholdMethod.MANUAL,
          note: reason,
          setById: actor.userId,
        },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'threshold.set',
          targetType: 'ModelVersion',
          targetId: input.modelVersionId,
          data: {
            thresholdId: row.id,
            method: ThresholdMethod.MANUAL,
            previousValue: previous?.value ?? null,
            previousMethod: previous?.method ?? null,
            value: row.value,
            reason,
          },
        },
        tx,
      );
      return withPrevious(row, previous ?? undefined);
    });
  }
}
