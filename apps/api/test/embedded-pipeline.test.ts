/**
 * The embedded mode (no REDIS_URL): the in-process queue and bus, and the worker inside the API
 * process, on the filesystem object store. Also who may train, inspect and cancel, and batches.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi, code, ok, type Account } from './helpers/api.js';
import { partPng, waitFor } from './helpers/parts.js';

const SIZE = 48;
let api: TestApi;
let owner: Account;
let productModelId: string;
let datasetId: string;

const png = (seed: number, defect?: 'missing') => partPng(seed, SIZE, defect);

const TRAIN =
  'mutation($i: TrainModelInput!) { trainModel(input: $i) { id status modelVersionId } }';

beforeAll(async () => {
  api = await TestApi.start({ INSPECT_SYNC_TIMEOUT_MS: '60000' });
  owner = await api.signUp('owner@embedded.test', 'Embedded Works');
  ({ productModelId, datasetId } = await api.seedProductModel(owner.token, {
    project: 'L',
    product: 'Cap',
    dataset: 'good',
  }));
  // No label: UNKNOWN images count as normal for training.
  await api.uploadImages(
    owner.token,
    datasetId,
    await Promise.all(Array.from({ length: 10 }, (_, i) => png(40 + i))),
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe('embedded mode: the API process runs the worker', () => {
  it('inspecting before any version is trained is a CONFLICT', async () => {
    const r = await api.multipart(
      owner.token,
      'mutation($p: ID!, $i: Upload!) { inspectImage(productModelId: $p, image: $i) { id } }',
      { p: productModelId, i: null },
      [{ path: 'variables.i', name: 'a.png', body: await png(1) }],
    );
    expect(code(r.body)).toBe('CONFLICT');
    expect(await api.prisma.inspection.count()).toBe(0);
  });

  it('trains on unlabelled uploads (UNKNOWN counts as normal) and inspects a batch', async () => {
    const job = ok<{ id: string; modelVersionId: string }>(
      await api.gql(
        TRAIN,
        { i: { productModelId, datasetId, weights: 'RANDOM_INIT', d: 16, holdoutFraction: 0.2 } },
        owner.token,
      ),
      'trainModel',
    );
    await waitFor(
      async () => {
        const v = await api.prisma.modelVersion.findUnique({ where: { id: job.modelVersionId } });
        return v?.status === 'READY' ? v : undefined;
      },
      120_000,
      'READY',
    );
    const images = [await png(900, 'missing'), await png(901), Buffer.from('not an image')];
    const { body } = await api.multipart(
      owner.token,
      `mutation($p: ID!, $f: [Upload!]!) { inspectImages(productModelId: $p, images: $f, source: "line-2") {
        batchId results { fileName ok error { code } inspection { id status } } } }`,
      { p: productModelId, f: images.map(() => null) },
      images.map((b, i) => ({ path: `variables.f.${i}`, name: `b${i}.png`, body: b })),
    );
    const batch = ok<{
      batchId: string;
      results: {
        fileName: string;
        ok: boolean;
        error: { code: string } | null;
        inspection: { id: string; status: string } | null;
      }[];
    }>(body, 'inspectImages');
    expect(batch.results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(batch.results[2]).toMatchObject({
      fileName: 'b2.png',
      error: { code: 'UNSUPPORTED_TYPE' },
    });
    expect(batch.results[0]!.inspection!.status).toBe('PENDING');
    const done = await waitFor(
      async () => {
        const r = await api.gql(
          `query($b: ID!) { inspections(filter: { batchId: $b, status: COMPLETED }) { edges { node { id score source } } } }`,
          { b: batch.batchId },
          owner.token,
        );
        const edges = ok<{ edges: { node: { id: string; score: number; source: string } }[] }>(
          r,
          'inspections',
        ).edges;
        return edges.length === 2 ? edges.map((e) => e.node) : undefined;
      },
      60_000,
      'batch results',
    );
    expect(done.every((n) => n.source === 'line-2' && n.score > 0)).toBe(true);
  });

  it('cancels a queued job, which ends CANCELLED with its version FAILED; again is a CONFLICT', async () => {
    // Two jobs: the worker runs one training at a time, so the second waits in the queue.
    const first = ok<{ id: string }>(
      await api.gql(
        TRAIN,
        { i: { productModelId, datasetId, weights: 'RANDOM_INIT', d: 8 } },
        owner.token,
      ),
      'trainModel',
    );
    const second = ok<{ id: string; modelVersionId: string }>(
      await api.gql(
        TRAIN,
        { i: { productModelId, datasetId, weights: 'RANDOM_INIT', d: 9 } },
        owner.token,
      ),
      'trainModel',
    );
    const cancelled = ok<{ status: string }>(
      await api.gql(
        'mutation($id: ID!) { cancelTrainingJob(id: $id) { status } }',
        { id: second.id },
        owner.token,
      ),
      'cancelTrainingJob',
    );
    expect(['CANCELLED', 'RUNNING']).toContain(cancelled.status);
    await waitFor(
      async () => {
        const j = await api.prisma.trainingJob.findUniqueOrThrow({ where: { id: second.id } });
        return j.status === 'CANCELLED' ? j : undefined;
      },
      60_000,
      'cancelled',
    );
    const version = await api.prisma.modelVersion.findUniqueOrThrow({
      where: { id: second.modelVersionId },
    });
    expect(version.status).toBe('FAILED');
    const again = await api.gql(
      'mutation($id: ID!) { cancelTrainingJob(id: $id) { status } }',
      { id: second.id },
      owner.token,
    );
    expect(code(again)).toBe('CONFLICT');
    await waitFor(
      async () => {
        const j = await api.prisma.trainingJob.findUniqueOrThrow({ where: { id: first.id } });
        return j.status === 'SUCCEEDED' ? j : undefined;
      },
      120_000,
      'first job',
    );
    const audit = await api.prisma.auditEvent.findMany({ where: { action: 'training.cancel' } });
    expect(audit).toHaveLength(1);
  });

  it('enforces roles: a VIEWER may not train or inspect; an INSPECTOR inspects but does not train', async () => {
    const viewer = await api.member(owner, 'viewer@embedded.test', 'VIEWER');
    const inspector = await api.member(owner, 'inspector@embedded.test', 'INSPECTOR');
    const train = { i: { productModelId, datasetId, weights: 'RANDOM_INIT' } };
    expect(code(await api.gql(TRAIN, train, viewer.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(TRAIN, train, inspector.token))).toBe('FORBIDDEN');
    const inspectAs = async (token: string) =>
      (
        await api.multipart(
          token,
          'mutation($p: ID!, $i: Upload!) { inspectImage(productModelId: $p, image: $i, waitMs: 0) { id status } }',
          { p: productModelId, i: null },
          [{ path: 'variables.i', name: 'x.png', body: await png(77) }],
        )
      ).body;
    expect(code(await inspectAs(viewer.token))).toBe('FORBIDDEN');
    const accepted = ok<{ status: string }>(await inspectAs(inspector.token), 'inspectImage');
    expect(['PENDING', 'PROCESSING', 'COMPLETED']).toContain(accepted.status);
    const job = await api.prisma.trainingJob.findFirstOrThrow();
    expect(
      code(
        await api.gql(
          'mutation($id: ID!) { cancelTrainingJob(id: $id) { id } }',
          { id: job.id },
          inspector.token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await api.gql(
          'mutation($id: ID!) { cancelTrainingJob(id: $id) { id } }',
          { id: randomUUID() },
          owner.token,
        ),
      ),
    ).toBe('NOT_FOUND');
  });
});
