import 'reflect-metadata';
import type { Prisma, PrismaClient, Role } from '@padim/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function seedProduct(organizationId: string, name: string) {
  const project = await prisma.project.create({
    data: { organizationId, name: `${name} project` },
  });
  return prisma.productModel.create({ data: { organizationId, projectId: project.id, name } });
}

function seedVersion(
  organizationId: string,
  productModelId: string,
  version: number,
  extra: Partial<Prisma.ModelVersionUncheckedCreateInput> = {},
) {
  return prisma.modelVersion.create({
    data: {
      organizationId,
      productModelId,
      version,
      backbone: 'resnet18',
      layers: ['layer1', 'layer2', 'layer3'],
      d: 100,
      seed: 7,
      imageSize: 224,
      ...extra,
    },
  });
}

const VERSION = `query($id: ID!) { modelVersion(id: $id) {
  id version status backbone layers d seed eps protocol imageSize metrics trainedImageCount
  snapshotId parentVersionId parentVersion { id version } absorbedReviewsCount isActive readyAt } }`;
const PROMOTE = 'mutation($id: ID!) { promoteModelVersion(id: $id) { id isActive } }';
const SET = `mutation($i: SetThresholdInput!) { setThreshold(input: $i) {
  id value previousValue method note setBy { email } } }`;
const HISTORY = `query($v: ID!, $first: Int, $after: String) { thresholds(modelVersionId: $v, first: $first, after: $after) {
  edges { node { value previousValue method note setById } } pageInfo { hasNextPage endCursor } } }`;

describe('model versions, training jobs, promotion and thresholds', () => {
  let owner: Account;
  let engineer: Account;
  let inspector: Account;
  let stranger: Account;
  let productId: string;
  let v1: string;
  let v2: string;
  let draft: string;
  let jobId: string;

  beforeAll(async () => {
    owner = await signUp('owner@versions.test', 'Versions Org');
    engineer = await member(owner, 'eng@versions.test', 'ENGINEER');
    inspector = await member(owner, 'insp@versions.test', 'INSPECTOR');
    stranger = await signUp('mallory@elsewhere.test', 'Elsewhere');
    const product = await seedProduct(owner.organizationId, 'Gear housing');
    productId = product.id;
    const dataset = await prisma.dataset.create({
      data: { organizationId: owner.organizationId, productModelId: productId, name: 'good' },
    });
    const snapshot = await prisma.datasetSnapshot.create({
      data: { organizationId: owner.organizationId, datasetId: dataset.id, imageCount: 0 },
    });
    v1 = (
      await seedVersion(owner.organizationId, productId, 1, {
        status: 'READY',
        snapshotId: snapshot.id,
        metrics: { imageAuroc: 0.97, pixelAuroc: 0.95 },
        trainedImageCount: 200,
        readyAt: new Date(),
      })
    ).id;
    v2 = (
      await seedVersion(owner.organizationId, productId, 2, {
        status: 'READY',
        parentVersionId: v1,
        snapshotId: snapshot.id,
      })
    ).id;
    draft = (await seedVersion(owner.organizationId, productId, 3, { status: 'TRAINING' })).id;
    // Two absorbed false positives: v2 learned from reviews of v1's inspections.
    for (let i = 0; i < 2; i++) {
      const inspection = await prisma.inspection.create({
        data: {
          organizationId: owner.organizationId,
          productModelId: productId,
          modelVersionId: v1,
          status: 'COMPLETED',
          imageKey: `k${i}`,
          score: 20,
          verdict: 'DEFECT',
        },
      });
      await prisma.review.create({
        data: {
          organizationId: owner.organizationId,
          inspectionId: inspection.id,
          verdict: 'GOOD',
          absorbedIntoVersionId: v2,
        },
      });
    }
    jobId = (
      await prisma.trainingJob.create({
        data: {
          organizationId: owner.organizationId,
          modelVersionId: draft,
          status: 'RUNNING',
          progress: 0.5,
          idempotencyKey: 'job-1',
        },
      })
    ).id;
    await prisma.trainingJob.create({
      data: {
        organizationId: owner.organizationId,
        modelVersionId: v1,
        status: 'SUCCEEDED',
        progress: 1,
        idempotencyKey: 'job-0',
        createdAt: new Date(Date.now() - 60_000),
      },
    });
  });

  it('lists versions newest first with lineage, metrics and paging', async () => {
    const page1 = ok<{
      edges: { node: { version: number } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    }>(
      await gql(
        'query($p: ID!) { modelVersions(productModelId: $p, first: 2) { edges { node { version } } pageInfo { hasNextPage endCursor } } }',
        { p: productId },
        inspector.token,
      ),
      'modelVersions',
    );
    expect(page1.edges.map((e) => e.node.version)).toEqual([3, 2]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok<{
      edges: { node: { version: number } }[];
      pageInfo: { hasNextPage: boolean };
    }>(
      await gql(
        'query($p: ID!, $a: String) { modelVersions(productModelId: $p, first: 2, after: $a) { edges { node { version } } pageInfo { hasNextPage } } }',
        { p: productId, a: page1.pageInfo.endCursor },
        inspector.token,
      ),
      'modelVersions',
    );
    expect(page2.edges.map((e) => e.node.version)).toEqual([1]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const version = ok<Record<string, unknown>>(
      await gql(VERSION, { id: v2 }, inspector.token),
      'modelVersion',
    );
    expect(version).toMatchObject({
      version: 2,
      status: 'READY',
      layers: ['layer1', 'layer2', 'layer3'],
      eps: 0.01,
      protocol: 'MVTEC',
      parentVersionId: v1,
      parentVersion: { id: v1, version: 1 },
      absorbedReviewsCount: 2,
      isActive: false,
    });
    expect(version.snapshotId).toEqual(expect.any(String));
    const first = ok<Record<string, unknown>>(
      await gql(VERSION, { id: v1 }, inspector.token),
      'modelVersion',
    );
    expect(first).toMatchObject({
      metrics: { imageAuroc: 0.97, pixelAuroc: 0.95 },
      trainedImageCount: 200,
      parentVersion: null,
      absorbedReviewsCount: 0,
    });
  });

  it('reads training jobs of a product model', async () => {
    const jobs = ok<{
      edges: { node: { id: string; status: string; modelVersion: { version: number } } }[];
    }>(
      await gql(
        'query($p: ID!) { trainingJobs(productModelId: $p) { edges { node { id status progress modelVersion { version } } } } }',
        { p: productId },
        inspector.token,
      ),
      'trainingJobs',
    );
    expect(jobs.edges.map((e) => [e.node.status, e.node.modelVersion.version])).toEqual([
      ['RUNNING', 3],
      ['SUCCEEDED', 1],
    ]);
    const job = ok<{ progress: number; kind: string }>(
      await gql(
        'query($id: ID!) { trainingJob(id: $id) { progress kind } }',
        { id: jobId },
        inspector.token,
      ),
      'trainingJob',
    );
    expect(job).toEqual({ progress: 0.5, kind: 'FULL' });
  });

  it('promotes only READY versions, ENGINEER and up, with an audit event', async () => {
    expect(code(await gql(PROMOTE, { id: v2 }, inspector.token))).toBe('FORBIDDEN');
    const notReady = await gql(PROMOTE, { id: draft }, engineer.token);
    expect(code(notReady)).toBe('CONFLICT');
    expect(notReady.errors![0]!.extensions!.reason).toBe('MODEL_VERSION_NOT_READY');
    expect(ok(await gql(PROMOTE, { id: v1 }, engineer.token), 'promoteModelVersion')).toEqual({
      id: v1,
      isActive: true,
    });
    expect(ok(await gql(PROMOTE, { id: v2 }, engineer.token), 'promoteModelVersion')).toEqual({
      id: v2,
      isActive: true,
    });
    const product = await prisma.productModel.findUniqueOrThrow({ where: { id: productId } });
    expect(product.activeVersionId).toBe(v2);
    const events = await prisma.auditEvent.findMany({
      where: { action: 'model_version.promote', targetId: v2 },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorUserId).toBe(engineer.userId);
    expect(events[0]!.data).toMatchObject({ previousVersionId: v1, productModelId: productId });
  });

  it('keeps threshold history: new rows only, previous values, audited', async () => {
    await prisma.threshold.create({
      data: {
        organizationId: owner.organizationId,
        modelVersionId: v2,
        value: 12.5,
        method: 'FALSE_ALARM_RATE',
        targetFalseAlarmRate: 0.01,
        createdAt: new Date(Date.now() - 60_000),
      },
    });
    expect(code(await gql(SET, { i: { modelVersionId: v2, value: 13 } }, inspector.token))).toBe(
      'FORBIDDEN',
    );
    const set = ok<Record<string, unknown>>(
      await gql(
        SET,
        { i: { modelVersionId: v2, value: 14, reason: ' too many false alarms ' } },
        engineer.token,
      ),
      'setThreshold',
    );
    expect(set).toMatchObject({
      value: 14,
      previousValue: 12.5,
      method: 'MANUAL',
      note: 'too many false alarms',
      setBy: { email: 'eng@versions.test' },
    });
    ok(await gql(SET, { i: { modelVersionId: v2, value: 15.25 } }, owner.token), 'setThreshold');

    const active = ok<{ value: number; previousValue: number }>(
      await gql(
        'query($v: ID!) { activeThreshold(modelVersionId: $v) { value previousValue } }',
        { v: v2 },
        inspector.token,
      ),
      'activeThreshold',
    );
    expect(active).toEqual({ value: 15.25, previousValue: 14 });
    expect(
      ok(
        await gql(
          'query($v: ID!) { activeThreshold(modelVersionId: $v) { value } }',
          { v: v1 },
          inspector.token,
        ),
        'activeThreshold',
      ),
    ).toBeNull();

    // History, newest first, paged one by one: each page still knows the value it replaced.
    const values: [number, number | null, string][] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 5; guard++) {
      const r: Gql = await gql(HISTORY, { v: v2, first: 1, after }, inspector.token);
      const page = ok<{
        edges: { node: { value: number; previousValue: number | null; method: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      }>(r, 'thresholds');
      values.push(
        ...page.edges.map((e): [number, number | null, string] => [
          e.node.value,
          e.node.previousValue,
          e.node.method,
        ]),
      );
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(values).toEqual([
      [15.25, 14, 'MANUAL'],
      [14, 12.5, 'MANUAL'],
      [12.5, null, 'FALSE_ALARM_RATE'],
    ]);
    expect(await prisma.threshold.count({ where: { modelVersionId: v2 } })).toBe(3);

    const audit = await prisma.auditEvent.findMany({
      where: { action: 'threshold.set', targetId: v2 },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((e) => e.data)).toEqual([
      expect.objectContaining({ previousValue: 12.5, value: 14, reason: 'too many false alarms' }),
      expect.objectContaining({ previousValue: 14, value: 15.25, reason: null }),
    ]);
  });

  it('rejects negative and non-finite thresholds as client errors, writing nothing', async () => {
    const before = await prisma.threshold.count();
    expect(code(await gql(SET, { i: { modelVersionId: v2, value: -1 } }, engineer.token))).toBe(
      'BAD_USER_INPUT',
    );
    // A literal too large for a double parses as Infinity.
    const huge = await gql(
      `mutation($v: ID!) { setThreshold(input: { modelVersionId: $v, value: 1e400 }) { id } }`,
      { v: v2 },
      engineer.token,
    );
    expect(code(huge)).toBe('BAD_USER_INPUT');
    expect(code(await gql(SET, { i: { modelVersionId: v2, value: 'abc' } }, engineer.token))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      code(
        await gql(
          SET,
          { i: { modelVersionId: v2, value: 1, reason: 'x'.repeat(1001) } },
          engineer.token,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(await prisma.threshold.count()).toBe(before);
  });

  it("answers NOT_FOUND for another organization's ids through every operation, changing nothing", async () => {
    const thresholdsBefore = await prisma.threshold.count();
    const auditBefore = await prisma.auditEvent.count();
    const attempts = [
      gql(
        'query($p: ID!) { modelVersions(productModelId: $p) { edges { cursor } } }',
        { p: productId },
        stranger.token,
      ),
      gql(VERSION, { id: v1 }, stranger.token),
      gql(PROMOTE, { id: v1 }, stranger.token),
      gql(
        'query($p: ID!) { trainingJobs(productModelId: $p) { edges { cursor } } }',
        { p: productId },
        stranger.token,
      ),
      gql('query($id: ID!) { trainingJob(id: $id) { id } }', { id: jobId }, stranger.token),
      gql(HISTORY, { v: v2 }, stranger.token),
      gql(
        'query($v: ID!) { activeThreshold(modelVersionId: $v) { value } }',
        { v: v2 },
        stranger.token,
      ),
      gql(SET, { i: { modelVersionId: v2, value: 1 } }, stranger.token),
      gql(VERSION, { id: 'not-an-id' }, owner.token),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/resnet18|imageAuroc|15\.25|Gear/);
    }
    expect(await prisma.threshold.count()).toBe(thresholdsBefore);
    expect(await prisma.auditEvent.count()).toBe(auditBefore);
    const product = await prisma.productModel.findUniqueOrThrow({ where: { id: productId } });
    expect(product.activeVersionId).toBe(v2);
  });

  it('rejects an over-complex query before running it, as a client error', async () => {
    const node =
      'node { id version metrics parentVersion { id parentVersion { id } } isActive absorbedReviewsCount }';
    const r = await gql(
      `query($p: ID!) { a: modelVersions(productModelId: $p, first: 100) { edges { ${node} } }
        b: modelVersions(productModelId: $p, first: 100) { edges { ${node} } } }`,
      { p: productId },
      inspector.token,
    );
    expect(code(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0]!.message).toMatch(/complexity/);
    expect(r.data ?? null).toBeNull();
    // The same selection on a small page passes.
    const small = await gql(
      `query($p: ID!) { modelVersions(productModelId: $p, first: 5) { edges { ${node} } } }`,
      { p: productId },
      inspector.token,
    );
    expect(small.errors).toBeUndefined();
  });
});
