import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelVersionStatus, type PrismaClient } from '@padim/db';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import { FsObjectStore } from '@padim/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector, encodePng, synthImage } from '@padim/inference';
import { writeTinyModel } from '@padim/inference/testing';
import { Permission, Role, can } from '@padim/jobs';
import { ModelCache, uploadModelDir } from '@padim/jobs/handlers';
import { createInferenceServer } from '../src/http/index.js';

const MAX_IMAGE_BYTES = 40_000;
const dir = mkdtempSync(join(tmpdir(), 'padim-http-'));
const modelDir = join(dir, 'model');

let pg: FreshPostgres;
let prisma: PrismaClient;
let store: FsObjectStore;
let cache: ModelCache;
let server: Server;
let base: string;
const logged: string[] = [];

let image: Uint8Array;
/** The detector's score of `image`, computed directly. */
let score: number;
const ids = {
  pm1: '',
  pm2: '',
  v1: '',
  v2: '',
  v3: '',
  v4: '',
  foreignPm: '',
};
const keys = { good: '', revoked: '', expired: '', foreign: '', viewer: '', engineer: '' };

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function createKey(
  organizationId: string,
  extra: { revokedAt?: Date; expiresAt?: Date; role?: Role } = {},
): Promise<string> {
  const token = `pdk_${randomBytes(32).toString('base64url')}`;
  await prisma.apiKey.create({
    data: {
      organizationId,
      name: 'line camera',
      prefix: token.slice(0, 10),
      keyHash: sha256(token),
      role: Role.INSPECTOR,
      ...extra,
    },
  });
  return token;
}

async function createVersion(
  organizationId: string,
  productModelId: string,
  version: number,
  status: ModelVersionStatus,
): Promise<string> {
  const v = await prisma.modelVersion.create({
    data: {
      organizationId,
      productModelId,
      version,
      status,
      backbone: 'resnet18',
      layers: ['layer1', 'layer2'],
      d: 20,
      seed: 0,
      imageSize: 224,
    },
  });
  if (status === ModelVersionStatus.READY) {
    const up = await uploadModelDir(store, modelDir, {
      organizationId,
      productModelId,
      modelVersionId: v.id,
    });
    await prisma.modelVersion.update({
      where: { id: v.id },
      data: { statsKey: up.statsKey, detectorKey: up.detectorKey, readyAt: new Date() },
    });
  }
  return v.id;
}

beforeAll(async () => {
  pg = await freshPostgres('padim_http');
  prisma = pg.database.prisma;
  store = await FsObjectStore.open({ root: join(dir, 'store') });

  await writeTinyModel(modelDir);
  image = await encodePng(synthImage(64, 900).rgb, 64, 64);
  const direct = await Detector.open(modelDir, { providers: ['cpu'] });
  score = (await direct.scoreImages([image])).scores[0]!;
  await direct.release();

  // Organization 1: pm1 with v1 (READY, active; two thresholds, the newer one in force),
  // v2 (READY, threshold below the score), v3 (TRAINING), v4 (READY, no threshold);
  // pm2 without an active version.
  const org = await prisma.organization.create({ data: { name: 'Gears', slug: 'gears' } });
  const project = await prisma.project.create({
    data: { organizationId: org.id, name: 'Line 1' },
  });
  const pm1 = await prisma.productModel.create({
    data: { organizationId: org.id, projectId: project.id, name: 'gear' },
  });
  const pm2 = await prisma.productModel.create({
    data: { organizationId: org.id, projectId: project.id, name: 'shaft' },
  });
  ids.pm1 = pm1.id;
  ids.pm2 = pm2.id;
  ids.v1 = await createVersion(org.id, pm1.id, 1, ModelVersionStatus.READY);
  ids.v2 = await createVersion(org.id, pm1.id, 2, ModelVersionStatus.READY);
  ids.v3 = await createVersion(org.id, pm1.id, 3, ModelVersionStatus.TRAINING);
  ids.v4 = await createVersion(org.id, pm1.id, 4, ModelVersionStatus.READY);
  await prisma.productModel.update({ where: { id: pm1.id }, data: { activeVersionId: ids.v1 } });
  await prisma.threshold.create({
    data: {
      organizationId: org.id,
      modelVersionId: ids.v1,
      value: score - 0.5,
      method: 'MANUAL',
      createdAt: new Date(Date.now() - 60_000),
    },
  });
  await prisma.threshold.create({
    data: { organizationId: org.id, modelVersionId: ids.v1, value: score, method: 'MANUAL' },
  });
  await prisma.threshold.create({
    data: {
      organizationId: org.id,
      modelVersionId: ids.v2,
      value: score - 0.5,
      method: 'MANUAL',
    },
  });
  keys.good = await createKey(org.id);
  keys.revoked = await createKey(org.id, { revokedAt: new Date() });
  keys.expired = await createKey(org.id, { expiresAt: new Date(Date.now() - 1000) });
  keys.viewer = await createKey(org.id, { role: Role.VIEWER });
  keys.engineer = await createKey(org.id, { role: Role.ENGINEER });

  // Organization 2, with its own product model, version and key.
  const org2 = await prisma.organization.create({ data: { name: 'Other', slug: 'other' } });
  const project2 = await prisma.project.create({
    data: { organizationId: org2.id, name: 'Line 9' },
  });
  const foreign = await prisma.productModel.create({
    data: { organizationId: org2.id, projectId: project2.id, name: 'gear' },
  });
  ids.foreignPm = foreign.id;
  const fv = await createVersion(org2.id, foreign.id, 1, ModelVersionStatus.READY);
  await prisma.productModel.update({ where: { id: foreign.id }, data: { activeVersionId: fv } });
  keys.foreign = await createKey(org2.id);

  cache = new ModelCache({
    store,
    cacheDir: join(dir, 'cache'),
    memoryBudgetBytes: 1_000_000_000,
    runtime: { providers: ['cpu'] },
  });
  server = createInferenceServer({
    prisma,
    cache,
    store,
    maxImageBytes: MAX_IMAGE_BYTES,
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await cache?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

function predict(query: string, body: Uint8Array = image, key: string | null = keys.good) {
  return call(`/predict?${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'image/png',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body,
  });
}

describe('health', () => {
  it('GET /healthz is 200 ok and /readyz checks the database and the object store', async () => {
    expect(await call('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await call('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'objectStore', ok: true },
      ],
    });
  });
});

describe('POST /predict', () => {
  it('scores with the active version and the newest threshold (score == threshold: GOOD)', async () => {
    const r = await predict(`productModelId=${ids.pm1}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      productModelId: ids.pm1,
      modelVersionId: ids.v1,
      verdict: 'GOOD',
      threshold: score,
      regions: [],
      width: 64,
      height: 64,
    });
    expect(r.body['score']).toBe(score);
    expect(r.body['heatmapPng']).toBeUndefined();
    expect(r.body['timings']).toMatchObject({ inferenceMs: expect.any(Number) });
    // Nothing is recorded: /predict writes no Inspection rows.
    expect(await prisma.inspection.count()).toBe(0);
  });

  it('scores a named version: above its threshold is DEFECT, with regions and a heatmap', async () => {
    const r = await predict(`productModelId=${ids.pm1}&modelVersionId=${ids.v2}&heatmap=true`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      modelVersionId: ids.v2,
      verdict: 'DEFECT',
      threshold: score - 0.5,
    });
    const regions = r.body['regions'] as { maxScore: number }[];
    expect(regions.length).toBeGreaterThan(0);
    expect(regions[0]!.maxScore).toBe(score);
    const png = Buffer.from(r.body['heatmapPng'] as string, 'base64');
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 64, height: 64 });
    expect(r.body['heatmapScale']).toEqual({ min: 0, max: Math.max(score, 2 * (score - 0.5)) });
  });

  it('answers verdict null without a threshold', async () => {
    const r = await predict(`productModelId=${ids.pm1}&modelVersionId=${ids.v4}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ verdict: null, threshold: null, regions: [] });
  });

  it('401 without a key, with a revoked, expired, unknown or non-API-key token', async () => {
    for (const key of [null, keys.revoked, keys.expired, 'pdk_unknown', 'pds_session']) {
      const r = await predict(`productModelId=${ids.pm1}`, image, key);
      expect(r.status).toBe(401);
      expect(r.body.error?.code).toBe('UNAUTHENTICATED');
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('403 for a key whose role may not INSPECT, by the same matrix as GraphQL', async () => {
    // The one permission matrix (@padim/jobs): VIEWER reads only; INSPECTOR and above inspect.
    expect(can(Role.VIEWER, Permission.INSPECT)).toBe(false);
    const viewer = await predict(`productModelId=${ids.pm1}`, image, keys.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(viewer.body.error?.message).toContain('INSPECT');
    const engineer = await predict(`productModelId=${ids.pm1}`, image, keys.engineer);
    expect(engineer.status).toBe(200);
  });

  it("404 for another organization's product model, either way round, and for unknown ids", async () => {
    const mine = await predict(`productModelId=${ids.foreignPm}`);
    expect(mine).toMatchObject({
      status: 404,
      body: { error: { code: 'PRODUCT_MODEL_NOT_FOUND' } },
    });
    const theirs = await predict(`productModelId=${ids.pm1}`, image, keys.foreign);
    expect(theirs).toMatchObject({
      status: 404,
      body: { error: { code: 'PRODUCT_MODEL_NOT_FOUND' } },
    });
    // Their own product model works with their key.
    expect((await predict(`productModelId=${ids.foreignPm}`, image, keys.foreign)).status).toBe(
      200,
    );
    const version = await predict(`productModelId=${ids.pm1}&modelVersionId=nope`);
    expect(version).toMatchObject({
      status: 404,
      body: { error: { code: 'MODEL_VERSION_NOT_FOUND' } },
    });
  });

  it('409 for a version that is not READY and for a product model without an active version', async () => {
    expect(await predict(`productModelId=${ids.pm1}&modelVersionId=${ids.v3}`)).toMatchObject({
      status: 409,
      body: { error: { code: 'MODEL_VERSION_NOT_READY' } },
    });
    expect(await predict(`productModelId=${ids.pm2}`)).toMatchObject({
      status: 409,
      body: { error: { code: 'NO_ACTIVE_VERSION' } },
    });
  });

  it('413 for a body past maxImageBytes, declared or streamed', async () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(image);
    expect(await predict(`productModelId=${ids.pm1}`, big)).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    // Chunked, no Content-Length: refused once the limit is passed; the server drops at most
    // about 1 MB more, then cuts the connection (the client's later writes fail: EPIPE).
    const total = 1000 * MAX_IMAGE_BYTES;
    let sent = 0;
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let answered = false;
      const req = request(
        `${base}/predict?productModelId=${ids.pm1}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${keys.good}`, 'content-type': 'image/png' },
        },
        (res) => {
          answered = true;
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(16_384, 7);
      const pump = () => {
        while (sent < total && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(sent).toBeLessThan(total / 2);
    // Expect: 100-continue with a declared size past the limit: 413 before any body is sent.
    const early = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request(`${base}/predict?productModelId=${ids.pm1}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys.good}`,
          'content-type': 'image/png',
          'content-length': String(MAX_IMAGE_BYTES + 1),
          expect: '100-continue',
        },
      });
      req.on('continue', () => (continued = true));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, continued }));
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(early).toEqual({ status: 413, continued: false });
  });

  it('422 with the ImageError code for a truncated PNG or an empty body', async () => {
    const truncated = await predict(
      `productModelId=${ids.pm1}`,
      image.subarray(0, image.length >> 1),
    );
    expect(truncated).toMatchObject({ status: 422, body: { error: { code: 'CORRUPT_IMAGE' } } });
    const empty = await predict(`productModelId=${ids.pm1}`, new Uint8Array(0));
    expect(empty).toMatchObject({ status: 422, body: { error: { code: 'EMPTY_INPUT' } } });
    const text = await predict(`productModelId=${ids.pm1}`, new TextEncoder().encode('hello'));
    expect(text).toMatchObject({ status: 422, body: { error: { code: 'UNSUPPORTED_FORMAT' } } });
  });

  it('400 / 405 / 404 / 415 for malformed requests, never 500', async () => {
    expect(await predict('')).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST' } },
    });
    expect(await predict(`productModelId=${ids.pm1}&heatmap=maybe`)).toMatchObject({
      status: 400,
    });
    expect(await predict(`productModelId=${encodeURIComponent("x' OR 1=1")}`)).toMatchObject({
      status: 400,
    });
    const get = await call(`/predict?productModelId=${ids.pm1}`);
    expect(get).toMatchObject({ status: 405, body: { error: { code: 'METHOD_NOT_ALLOWED' } } });
    expect(get.headers.get('allow')).toBe('POST');
    expect(await call('/healthz', { method: 'DELETE' })).toMatchObject({ status: 405 });
    expect(await call('/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    const json = await call(`/predict?productModelId=${ids.pm1}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.good}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(logged.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('records when an API key was last used', async () => {
    const row = await prisma.apiKey.findUnique({ where: { keyHash: sha256(keys.good) } });
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });
});
