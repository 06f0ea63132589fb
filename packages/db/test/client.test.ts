import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { createPrismaClient, ImageLabel, Prisma, Role, Verdict } from '../src/index.js';
import type { TestDatabase } from './postgres.js';
import { createTestDatabase } from './postgres.js';

/** The Prisma error code of a rejected write (P2002 unique, P2003 foreign key). */
async function prismaErrorCode(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code;
    throw error;
  }
  throw new Error('the write was expected to fail');
}

let sequence = 0;
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}`;
}

interface Backend {
  name: string;
  open(): Promise<{ db: Database; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const database: TestDatabase = await createTestDatabase();
      const db = await createPrismaClient({ kind: 'postgres', url: database.url });
      await db.migrate();
      return {
        db,
        async close() {
          await db.dispose();
          await database.drop();
        },
      };
    },
  },
  {
    name: 'PGlite (memory)',
    async open() {
      const db = await createPrismaClient({ kind: 'pglite', dataDir: 'memory' });
      await db.migrate();
      return { db, close: () => db.dispose() };
    },
  },
];

/** An organization with a project, a product model and a dataset: the usual parent chain. */
async function seedTenant(db: Database) {
  const { prisma } = db;
  const organization = await prisma.organization.create({
    data: { name: 'Acme', slug: unique('acme') },
  });
  const project = await prisma.project.create({
    data: { organizationId: organization.id, name: unique('line') },
  });
  const productModel = await prisma.productModel.create({
    data: {
      organizationId: organization.id,
      projectId: project.id,
      name: 'ball-screw',
      cameraPose: 'top',
    },
  });
  const dataset = await prisma.dataset.create({
    data: { organizationId: organization.id, productModelId: productModel.id, name: 'train' },
  });
  return { organization, project, productModel, dataset };
}

function imageData(organizationId: string, datasetId: string, sha256: string) {
  return {
    organizationId,
    datasetId,
    objectKey: `${organizationId}/images/${sha256}.png`,
    sha256,
    width: 1130,
    height: 460,
    bytes: 123_456,
    contentType: 'image/png',
  };
}

describe.each(backends)('client on $name', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await backend.open());
  });
  afterAll(async () => {
    await close?.();
  });

  it('creates and reads users, organizations and memberships', async () => {
    const { prisma } = db;
    const { organization } = await seedTenant(db);
    const user = await prisma.user.create({
      data: { email: `${unique('ada')}@example.com`, name: 'Ada', passwordHash: 'argon2id$...' },
    });
    await prisma.membership.create({
      data: { organizationId: organization.id, userId: user.id, role: Role.ENGINEER },
    });
    const found = await prisma.membership.findUnique({
      where: { organizationId_userId: { organizationId: organization.id, userId: user.id } },
      include: { user: true, organization: true },
    });
    expect(found?.role).toBe('ENGINEER');
    expect(found?.user.email).toBe(user.email);
    expect(found?.organization.slug).toBe(organization.slug);
    // UUIDv7 ids sort in creation order.
    const later = await prisma.organization.create({ data: { name: 'B', slug: unique('b') } });
    expect(later.id > organization.id).toBe(true);
  });

  it('rejects a second membership of the same user in the same organization', async () => {
    const { prisma } = db;
    const { organization } = await seedTenant(db);
    const user = await prisma.user.create({
      data: { email: `${unique('bob')}@example.com`, name: 'Bob', passwordHash: 'x' },
    });
    const data = { organizationId: organization.id, userId: user.id, role: Role.VIEWER };
    await prisma.membership.create({ data });
    expect(
      await prismaErrorCode(prisma.membership.create({ data: { ...data, role: Role.ADMIN } })),
    ).toBe('P2002');
  });

  it('rejects a duplicate image hash within a dataset, allows it in another', async () => {
    const { prisma } = db;
    const { organization, productModel, dataset } = await seedTenant(db);
    const sha = 'a'.repeat(64);
    await prisma.datasetImage.create({ data: imageData(organization.id, dataset.id, sha) });
    expect(
      await prismaErrorCode(
        prisma.datasetImage.create({ data: imageData(organization.id, dataset.id, sha) }),
      ),
    ).toBe('P2002');
    const other = await prisma.dataset.create({
      data: { organizationId: organization.id, productModelId: productModel.id, name: 'test' },
    });
    const copy = await prisma.datasetImage.create({
      data: imageData(organization.id, other.id, sha),
    });
    expect(copy.label).toBe(ImageLabel.UNKNOWN);
  });

  it('refuses rows that point into another organization', async () => {
    const { prisma } = db;
    const mine = await seedTenant(db);
    const theirs = await seedTenant(db);
    // My organization id with their dataset: the composite foreign key (datasetId, organizationId).
    expect(
      await prismaErrorCode(
        prisma.datasetImage.create({
          data: imageData(mine.organization.id, theirs.dataset.id, 'b'.repeat(64)),
        }),
      ),
    ).toBe('P2003');
  });

  it('records a training lineage, an inspection with its review and threshold history', async () => {
    const { prisma } = db;
    const { organization, productModel, dataset } = await seedTenant(db);
    const orgId = organization.id;
    const image = await prisma.datasetImage.create({
      data: { ...imageData(orgId, dataset.id, 'c'.repeat(64)), label: ImageLabel.GOOD },
    });
    const snapshot = await prisma.datasetSnapshot.create({
      data: {
        organizationId: orgId,
        datasetId: dataset.id,
        imageCount: 1,
        images: { create: [{ imageId: image.id, label: image.label }] },
      },
      include: { images: true },
    });
    expect(snapshot.images).toHaveLength(1);
    const base = {
      organizationId: orgId,
      productModelId: productModel.id,
      backbone: 'resnet18',
      layers: ['layer1', 'layer2', 'layer3'],
      d: 100,
      seed: 1024,
      imageSize: 224,
      snapshotId: snapshot.id,
    };
    const v1 = await prisma.modelVersion.create({ data: { ...base, version: 1, status: 'READY' } });
    const v2 = await prisma.modelVersion.create({
      data: { ...base, version: 2, parentVersionId: v1.id, metrics: { imageAuroc: 0.97 } },
    });
    expect(
      await prismaErrorCode(prisma.modelVersion.create({ data: { ...base, version: 2 } })),
    ).toBe('P2002');
    await prisma.productModel.update({
      where: { id: productModel.id },
      data: { activeVersionId: v1.id },
    });
    await prisma.trainingJob.create({
      data: { organizationId: orgId, modelVersionId: v2.id, idempotencyKey: 'fit-v2' },
    });
    expect(
      await prismaErrorCode(
        prisma.trainingJob.create({
          data: { organizationId: orgId, modelVersionId: v2.id, idempotencyKey: 'fit-v2' },
        }),
      ),
    ).toBe('P2002');

    const first = await prisma.threshold.create({
      data: {
        organizationId: orgId,
        modelVersionId: v1.id,
        value: 12.5,
        method: 'FALSE_ALARM_RATE',
        targetFalseAlarmRate: 0.01,
      },
    });
    const second = await prisma.threshold.create({
      data: { organizationId: orgId, modelVersionId: v1.id, value: 13, method: 'MANUAL' },
    });
    const inForce = await prisma.threshold.findFirst({
      where: { organizationId: orgId, modelVersionId: v1.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(inForce?.id).toBe(second.id);
    expect(first.id < second.id).toBe(true);

    const inspection = await prisma.inspection.create({
      data: {
        organizationId: orgId,
        productModelId: productModel.id,
        modelVersionId: v1.id,
        imageKey: `${orgId}/inspections/1.png`,
        status: 'COMPLETED',
        score: 14.2,
        verdict: Verdict.DEFECT,
        regions: [{ x: 10, y: 20, width: 5, height: 6, area: 30, maxScore: 14.2 }],
        thresholdId: second.id,
        thresholdValue: second.value,
      },
    });
    await prisma.review.create({
      data: {
        organizationId: orgId,
        inspectionId: inspection.id,
        verdict: Verdict.GOOD,
        note: 'false positive: dust',
        absorbedIntoVersionId: v2.id,
      },
    });
    const flaggedUnreviewed = await prisma.inspection.count({
      where: { organizationId: orgId, verdict: 'DEFECT', review: { is: null } },
    });
    expect(flaggedUnreviewed).toBe(0);
    const listed = await prisma.inspection.findMany({
      where: { organizationId: orgId, modelVersionId: v1.id, score: { gte: 10 } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 25,
      include: { review: true },
    });
    expect(listed.map((row) => row.review?.verdict)).toEqual(['GOOD']);
    expect(listed[0]?.regions).toEqual([
      { x: 10, y: 20, width: 5, height: 6, area: 30, maxScore: 14.2 },
    ]);
    const lineage = await prisma.modelVersion.findUniqueOrThrow({
      where: { id: v2.id },
      include: { parentVersion: true, absorbedReviews: true, snapshot: true },
    });
    expect(lineage.parentVersion?.version).toBe(1);
    expect(lineage.absorbedReviews).toHaveLength(1);
    expect(lineage.snapshot?.imageCount).toBe(1);

    // A snapshot is immutable: its images cannot be deleted on their own ...
    expect(await prismaErrorCode(prisma.datasetImage.delete({ where: { id: image.id } }))).toBe(
      'P2003',
    );
    // ... but deleting the organization removes everything it owns.
    await prisma.organization.delete({ where: { id: orgId } });
    expect(await prisma.inspection.count({ where: { organizationId: orgId } })).toBe(0);
    expect(await prisma.datasetImage.count({ where: { organizationId: orgId } })).toBe(0);
    expect(await prisma.modelVersion.count({ where: { organizationId: orgId } })).toBe(0);
  });

  it('finds nothing (rather than failing) for a malformed id', async () => {
    expect(await db.prisma.project.findUnique({ where: { id: 'not-a-uuid' } })).toBeNull();
  });
});

describe('createPrismaClient on a caller-owned PGlite', () => {
  it('leaves the instance open on dispose', async () => {
    const instance = new PGlite();
    try {
      const db = await createPrismaClient({ kind: 'pglite', instance });
      await db.migrate();
      await db.prisma.organization.create({ data: { name: 'Kept', slug: 'kept' } });
      await db.dispose();
      const rows = await instance.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM "Organization"',
      );
      expect(rows.rows[0]?.n).toBe(1);
    } finally {
      await instance.close();
    }
  });
});

describe('the embedded database directory lock', () => {
  it('refuses a second open of one data directory, takes over a stale lock, frees it on dispose', async () => {
    const { mkdtempSync, writeFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = join(mkdtempSync(join(tmpdir(), 'padim-lock-')), 'db');
    const first = await createPrismaClient({ kind: 'pglite', dataDir });
    try {
      await expect(createPrismaClient({ kind: 'pglite', dataDir })).rejects.toThrow(
        /in use by process/,
      );
    } finally {
      await first.dispose();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    // A lock left by a process that is gone (a crash) does not block.
    writeFileSync(`${dataDir}.lock`, '2147483646');
    const again = await createPrismaClient({ kind: 'pglite', dataDir });
    await again.dispose();
  });
});
