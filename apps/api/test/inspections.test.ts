import 'reflect-metadata';
import type { PrismaClient, Role } from '@padim/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, GqlContext } from '../src/auth/actor.js';
import { Role as Roles } from '../src/auth/roles.js';
import { Loaders } from '../src/common/loaders.js';
import { TenantDb } from '../src/database/tenant-db.js';
import { TestApi, code, ok, type Account, type Gql } from './helpers/api.js';

let api: TestApi;
let prisma: PrismaClient;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  api.gql(query, variables, token);
const signUp = (email: string, org: string) => api.signUp(email, org);
const member = (owner: Account, email: string, role: Role) => api.member(owner, email, role);

beforeAll(async () => {
  api = await TestApi.start();
  prisma = api.prisma;
});
afterAll(async () => api.close());

interface Seeded {
  productId: string;
  v1: string;
  v2: string;
  otherProductId: string;
  ids: string[];
}

/** 12 inspections over two versions and two product models, 1 minute apart (oldest first). */
async function seed(organizationId: string): Promise<Seeded> {
  const project = await prisma.project.create({ data: { organizationId, name: 'Line 1' } });
  const product = await prisma.productModel.create({
    data: { organizationId, projectId: project.id, name: 'Bracket' },
  });
  const other = await prisma.productModel.create({
    data: { organizationId, projectId: project.id, name: 'Lid' },
  });
  const base = {
    organizationId,
    backbone: 'resnet18',
    layers: ['layer1'],
    d: 50,
    seed: 1,
    imageSize: 224,
    status: 'READY' as const,
  };
  const v1 = await prisma.modelVersion.create({
    data: { ...base, productModelId: product.id, version: 1 },
  });
  const v2 = await prisma.modelVersion.create({
    data: { ...base, productModelId: product.id, version: 2, parentVersionId: v1.id },
  });
  const ov = await prisma.modelVersion.create({
    data: { ...base, productModelId: other.id, version: 1 },
  });
  const start = Date.UTC(2025, 0, 1, 8, 0, 0);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const onOther = i >= 10;
    const score = i * 2; // 0, 2, ..., 22
    const row = await prisma.inspection.create({
      data: {
        organizationId,
        productModelId: onOther ? other.id : product.id,
        modelVersionId: onOther ? ov.id : i < 5 ? v1.id : v2.id,
        status: 'COMPLETED',
        imageKey: `org/${organizationId}/inspections/${i}.png`,
        score,
        verdict: score >= 12 ? 'DEFECT' : 'GOOD',
        thresholdValue: 12,
        regions:
          score >= 12
            ? [{ x: 1, y: 2, width: 3, height: 4, area: 10, maxScore: score }, { bogus: true }]
            : [],
        createdAt: new Date(start + i * 60_000),
        completedAt: new Date(start + i * 60_000 + 500),
      },
    });
    ids.push(row.id);
  }
  return { productId: product.id, v1: v1.id, v2: v2.id, otherProductId: other.id, ids };
}

const LIST = `query($f: InspectionFilter, $first: Int, $after: String) {
  inspections(filter: $f, first: $first, after: $after) {
    edges { node { id score verdict review { verdict } } }
    pageInfo { hasNextPage endCursor } } }`;
const REVIEW = `mutation($i: ReviewInspectionInput!) { reviewInspection(input: $i) {
  id inspectionId verdict note reviewer { email } } }`;

type Page = {
  edges: {
    node: { id: string; score: number; verdict: string; review: { verdict: string } | null };
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

describe('inspections and reviews', () => {
  let owner: Account;
  let inspector: Account;
  let viewer: Account;
  let stranger: Account;
  let s: Seeded;
  /** Index of inspection i among all, newest first, is 11 - i. */
  const scoresOf = (page: Page) => page.edges.map((e) => e.node.score);

  async function all(
    filter: Record<string, unknown>,
    first = 3,
    token = owner.token,
  ): Promise<number[]> {
    const scores: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const r: Gql = await gql(LIST, { f: filter, first, after }, token);
      const page = ok<Page>(r, 'inspections');
      scores.push(...scoresOf(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return scores;
  }

  beforeAll(async () => {
    owner = await signUp('owner@inspect.test', 'Inspect Org');
    inspector = await member(owner, 'insp@inspect.test', 'INSPECTOR');
    viewer = await member(owner, 'view@inspect.test', 'VIEWER');
    stranger = await signUp('eve@elsewhere.test', 'Elsewhere');
    s = await seed(owner.organizationId);
  });

  it('filters by model, version, verdict, score and time, paging newest first', async () => {
    expect(await all({})).toEqual([22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
    expect(await all({ productModelId: s.productId })).toEqual([18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
    expect(await all({ productModelId: s.otherProductId })).toEqual([22, 20]);
    expect(await all({ modelVersionId: s.v1 }, 2)).toEqual([8, 6, 4, 2, 0]);
    expect(await all({ verdict: 'DEFECT' })).toEqual([22, 20, 18, 16, 14, 12]);
    expect(await all({ minScore: 5, maxScore: 12 })).toEqual([12, 10, 8, 6]);
    expect(await all({ minScore: 20 })).toEqual([22, 20]);
    expect(
      await all({
        from: new Date(Date.UTC(2025, 0, 1, 8, 2)).toISOString(),
        to: new Date(Date.UTC(2025, 0, 1, 8, 5)).toISOString(),
      }),
    ).toEqual([8, 6, 4]);
    expect(
      await all({
        productModelId: s.productId,
        modelVersionId: s.v2,
        verdict: 'GOOD',
        maxScore: 11,
      }),
    ).toEqual([10]);
  });

  it('shows regions (well-formed ones) and the model version', async () => {
    const r = ok<{
      regions: unknown[];
      thresholdValue: number;
      modelVersion: { version: number; parentVersion: { version: number } };
    }>(
      await gql(
        'query($id: ID!) { inspection(id: $id) { regions { x y width height area maxScore } thresholdValue modelVersion { version parentVersion { version } } } }',
        { id: s.ids[7] },
        viewer.token,
      ),
      'inspection',
    );
    expect(r).toEqual({
      regions: [{ x: 1, y: 2, width: 3, height: 4, area: 10, maxScore: 14 }],
      thresholdValue: 12,
      modelVersion: { version: 2, parentVersion: { version: 1 } },
    });
  });

  it('reviews by INSPECTOR and up: one per inspection, changed in place with audit', async () => {
    const target = s.ids[9]!; // score 18, DEFECT
    expect(
      code(await gql(REVIEW, { i: { inspectionId: target, verdict: 'GOOD' } }, viewer.token)),
    ).toBe('FORBIDDEN');
    const first = ok<Record<string, unknown>>(
      await gql(
        REVIEW,
        { i: { inspectionId: target, verdict: 'GOOD', note: 'dust' } },
        inspector.token,
      ),
      'reviewInspection',
    );
    expect(first).toMatchObject({
      inspectionId: target,
      verdict: 'GOOD',
      note: 'dust',
      reviewer: { email: 'insp@inspect.test' },
    });
    const second = ok<Record<string, unknown>>(
      await gql(REVIEW, { i: { inspectionId: target, verdict: 'DEFECT' } }, owner.token),
      'reviewInspection',
    );
    expect(second).toMatchObject({ id: first.id, verdict: 'DEFECT', note: null });
    expect(await prisma.review.count({ where: { inspectionId: target } })).toBe(1);
    const audit = await prisma.auditEvent.findMany({
      where: { targetType: 'Inspection', targetId: target },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((e) => e.action)).toEqual(['review.create', 'review.update']);
    expect(audit[1]!.data).toMatchObject({
      verdict: 'DEFECT',
      previousVerdict: 'GOOD',
      previousNote: 'dust',
      detectorVerdict: 'DEFECT',
    });

    // A reviewed inspection shows its review and the reviewed filter sees it.
    ok(
      await gql(REVIEW, { i: { inspectionId: s.ids[3], verdict: 'GOOD' } }, inspector.token),
      'reviewInspection',
    );
    expect(await all({ reviewed: true })).toEqual([18, 6]);
    expect(await all({ reviewed: false })).toHaveLength(10);
    const page = ok<Page>(await gql(LIST, { f: { reviewed: true } }, viewer.token), 'inspections');
    expect(page.edges.map((e) => e.node.review)).toEqual([
      { verdict: 'DEFECT' },
      { verdict: 'GOOD' },
    ]);
  });

  it('refuses reviews of unfinished inspections and of reviews folded into a model', async () => {
    const pending = await prisma.inspection.create({
      data: {
        organizationId: owner.organizationId,
        productModelId: s.productId,
        modelVersionId: s.v2,
        imageKey: 'pending.png',
      },
    });
    const r = await gql(
      REVIEW,
      { i: { inspectionId: pending.id, verdict: 'GOOD' } },
      inspector.token,
    );
    expect(code(r)).toBe('CONFLICT');
    await prisma.review.create({
      data: {
        organizationId: owner.organizationId,
        inspectionId: s.ids[8]!,
        verdict: 'GOOD',
        absorbedIntoVersionId: s.v2,
      },
    });
    const absorbed = await gql(
      REVIEW,
      { i: { inspectionId: s.ids[8], verdict: 'DEFECT' } },
      inspector.token,
    );
    expect(code(absorbed)).toBe('CONFLICT');
    expect(absorbed.errors![0]!.extensions!.reason).toBe('REVIEW_ABSORBED');
    expect(
      (await prisma.review.findUniqueOrThrow({ where: { inspectionId: s.ids[8]! } })).verdict,
    ).toBe('GOOD');
    await prisma.inspection.delete({ where: { id: pending.id } });
  });

  it('answers bad filters and cursors with client errors', async () => {
    const bad = [
      gql(LIST, { f: { minScore: 5, maxScore: 1 } }, owner.token),
      gql(LIST, { f: { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } }, owner.token),
      gql(LIST, { f: { from: 'yesterday' } }, owner.token),
      gql(LIST, { f: { verdict: 'MAYBE' } }, owner.token),
      gql(LIST, { after: 'garbage' }, owner.token),
      gql(LIST, { first: 0 }, owner.token),
      gql(LIST, { first: 101 }, owner.token),
      gql(
        REVIEW,
        { i: { inspectionId: s.ids[0], verdict: 'GOOD', note: 'x'.repeat(2001) } },
        owner.token,
      ),
    ];
    for (const r of await Promise.all(bad)) {
      expect(code(r)).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
    }
  });

  it("answers NOT_FOUND for another organization's ids through every operation, changing nothing", async () => {
    const reviewsBefore = await prisma.review.count();
    const attempts = [
      gql(
        'query($id: ID!) { inspection(id: $id) { score imageKey } }',
        { id: s.ids[11] },
        stranger.token,
      ),
      gql(
        REVIEW,
        { i: { inspectionId: s.ids[0], verdict: 'DEFECT', note: 'pwned' } },
        stranger.token,
      ),
      gql(LIST, { f: { productModelId: s.productId } }, stranger.token),
      gql(LIST, { f: { modelVersionId: s.v1 } }, stranger.token),
      gql(
        'query($id: ID!) { inspection(id: $id) { score } }',
        { id: "'; DROP TABLE x; --" },
        owner.token,
      ),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/inspections\/|dust|pwned/);
    }
    const mine = ok<Page>(await gql(LIST, {}, stranger.token), 'inspections');
    expect(mine.edges).toEqual([]);
    expect(await prisma.review.count()).toBe(reviewsBefore);
    expect(await prisma.review.findUnique({ where: { inspectionId: s.ids[0]! } })).toBeNull();
  });

  it('batches relation fields: one query per loader, whatever the page size', async () => {
    const queries: string[] = [];
    const counting = prisma.$extends({
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }) {
            queries.push(`${model}.${operation}`);
            return query(args);
          },
        },
      },
    }) as unknown as PrismaClient;
    // The path the resolvers take: Loaders hands out the actor's tenant-scoped loaders.
    const viewerOf = (a: Account): GqlContext => {
      const actor: Actor = {
        kind: 'user',
        userId: a.userId,
        apiKeyId: null,
        sessionId: null,
        organizationId: a.organizationId,
        role: Roles.VIEWER,
      };
      return { req: { actor }, token: null } as unknown as GqlContext;
    };
    const perRequest = new Loaders(new TenantDb(counting));
    const loaders = perRequest.for(viewerOf(owner));
    const reviews = await Promise.all(s.ids.map((id) => loaders.reviewByInspection.load(id)));
    const versions = await Promise.all(
      [s.v1, s.v2, s.v1, 'missing'].map((id) => loaders.modelVersion.load(id)),
    );
    expect(reviews.filter(Boolean)).toHaveLength(3);
    expect(versions.map((v) => v?.version ?? null)).toEqual([1, 2, 1, null]);
    expect(queries).toEqual(['Review.findMany', 'ModelVersion.findMany']);
    // Tenancy holds inside loaders too.
    const foreign = perRequest.for(viewerOf(stranger));
    expect(await foreign.modelVersion.load(s.v1)).toBeNull();
  });
});
