import { Global, Injectable, Module } from '@nestjs/common';
import type { ModelVersion, PrismaClient, ProductModel, Review, User } from '@padim/db';
import DataLoader from 'dataloader';
import type { GqlContext } from '../auth/actor.js';
import { AuthErrorCode, AuthException } from '../auth/auth.exception.js';
import { Permission } from '../auth/roles.js';
import { TenantDb } from '../database/tenant-db.js';

export interface DatasetImageCounts {
  readonly total: number;
  readonly good: number;
  readonly defect: number;
  readonly unknown: number;
}

export interface ProductActivity {
  readonly inspectionsToday: number;
  readonly flaggedToday: number;
  readonly unreviewedFlagged: number;
  readonly lastInspectionAt: Date | null;
}

/** Rows in the order of `keys` (DataLoader's contract), null where none matched. */
function byKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/**
 * The DataLoaders of one request, acting in one organization: relation fields (Inspection.review,
 * ModelVersion.parent, ...) batch into one query per field and level instead of one per row.
 * `db` is the organization's tenant client (TenantDb), like everywhere else.
 */
export class RequestLoaders {
  constructor(private readonly db: PrismaClient) {}

  readonly modelVersion = new DataLoader<string, ModelVersion | null>(async (ids) =>
    byKey(
      ids,
      await this.db.modelVersion.findMany({ where: { id: { in: [...ids] } } }),
      (r) => r.id,
    ),
  );

  readonly productModel = new DataLoader<string, ProductModel | null>(async (ids) =>
    byKey(
      ids,
      await this.db.productModel.findMany({ where: { id: { in: [...ids] } } }),
      (r) => r.id,
    ),
  );

  /** The review of each inspection (at most one). */
  readonly reviewByInspection = new DataLoader<string, Review | null>(async (ids) =>
    byKey(
      ids,
      await this.db.review.findMany({ where: { inspectionId: { in: [...ids] } } }),
      (r) => r.inspectionId,
    ),
  );

  /** How many reviews were folded into each model version. */
  readonly absorbedReviewCount = new DataLoader<string, number>(async (ids) => {
    const groups = await this.db.review.groupBy({
      by: ['absorbedIntoVersionId'],
      where: { absorbedIntoVersionId: { in: [...ids] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((g) => [g.absorbedIntoVersionId, g._count._all]));
    return ids.map((id) => counts.get(id) ?? 0);
  });

  /**
   * Today's activity of each product model (since 00:00 UTC): inspections, flagged (DEFECT)
   * inspections, flagged ones nobody reviewed yet (of all time), and the newest inspection's time.
   */
  readonly productActivity = new DataLoader<string, ProductActivity>(async (ids) => {
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const where = { productModelId: { in: [...ids] } };
    const [all, flagged, unreviewed, last] = await Promise.all([
      this.db.inspection.groupBy({
        by: ['productModelId'],
        where: { ...where, createdAt: { gte: today } },
        _count: { _all: true },
      }),
      this.db.inspection.groupBy({
        by: ['productModelId'],
        where: { ...where, createdAt: { gte: today }, verdict: 'DEFECT' },
        _count: { _all: true },
      }),
      this.db.inspection.groupBy({
        by: ['productModelId'],
        where: { ...where, verdict: 'DEFECT', review: { is: null } },
        _count: { _all: true },
      }),
      this.db.inspection.groupBy({ by: ['productModelId'], where, _max: { createdAt: true } }),
    ]);
    const count = (groups: { productModelId: string; _count: { _all: number } }[]) =>
      new Map(groups.map((g) => [g.productModelId, g._count._all]));
    const [a, f, u] = [count(all), count(flagged), count(unreviewed)];
    const l = new Map(last.map((g) => [g.productModelId, g._max.createdAt]));
    return ids.map((id) => ({
      inspectionsToday: a.get(id) ?? 0,
      flaggedToday: f.get(id) ?? 0,
      unreviewedFlagged: u.get(id) ?? 0,
      lastInspectionAt: l.get(id) ?? null,
    }));
  });

  /** Images of each dataset by label. */
  readonly datasetImageCounts = new DataLoader<string, DatasetImageCounts>(async (ids) => {
    const groups = await this.db.datasetImage.groupBy({
      by: ['datasetId', 'label'],
      where: { datasetId: { in: [...ids] } },
      _count: { _all: true },
    });
    return ids.map((id) => {
      const of = (label: string) =>
        groups.find((g) => g.datasetId === id && g.label === label)?._count._all ?? 0;
      const good = of('GOOD');
      const defect = of('DEFECT');
      const unknown = of('UNKNOWN');
      return { total: good + defect + unknown, good, defect, unknown };
    });
  });

  /** Users are not tenant rows: only ids read from this organization's rows are ever asked for. */
  readonly user = new DataLoader<string, Pick<User, 'id' | 'email' | 'name'> | null>(async (ids) =>
    byKey(
      ids,
      await this.db.user.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, email: true, name: true },
      }),
      (r) => r.id,
    ),
  );
}

/**
 * Hands out the loaders of the current request. They live as long as the request object (a
 * WeakMap keyed by it), so nothing is cached across requests or organizations.
 */
@Injectable()
export class Loaders {
  private readonly perRequest = new WeakMap<object, Map<string, RequestLoaders>>();

  constructor(private readonly tenants: TenantDb) {}

  for(ctx: GqlContext): RequestLoaders {
    const actor = ctx.req.actor;
    if (!actor)
      throw new AuthException(AuthErrorCode.NOT_AUTHENTICATED, 'sign in or send an API key');
    // The parent field already checked its own permission; every role may READ.
    const { organizationId, db } = this.tenants.for(actor, Permission.READ);
    let byOrg = this.perRequest.get(ctx.req);
    if (!byOrg) {
      byOrg = new Map();
      this.perRequest.set(ctx.req, byOrg);
    }
    let loaders = byOrg.get(organizationId);
    if (!loaders) {
      loaders = new RequestLoaders(db);
      byOrg.set(organizationId, loaders);
    }
    return loaders;
  }
}

@Global()
@Module({ providers: [Loaders], exports: [Loaders] })
export class LoadersModule {}
