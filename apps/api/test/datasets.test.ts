import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { S3ObjectStore } from '@padim/storage';
import { startTestS3Server, type TestS3Server } from '@padim/storage/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/main.js';
import { freshPostgres } from './helpers/database.js';

type Gql = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
};
type Upload = {
  fileName: string;
  key: string;
  url: string;
  method: string;
  headers: { name: string; value: string }[];
};
type Result = {
  fileName: string | null;
  key: string | null;
  ok: boolean;
  image: { id: string; width: number; height: number; contentType: string } | null;
  duplicateOf: { id: string } | null;
  error: { code: string; message: string } | null;
};

const MAX_BYTES = 512 * 1024;
const MULTIPART_MAX = 256 * 1024;

let db: Awaited<ReturnType<typeof freshPostgres>>;
let s3: TestS3Server;
let store: S3ObjectStore;
let app: INestApplication;
let url: string;
let dataDir: string;
/** Every GraphQL answer of this file: none may be INTERNAL_SERVER_ERROR. */
const answers: Gql[] = [];

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Gql> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Gql;
  answers.push(body);
  return body;
}

const code = (r: Gql) => r.errors?.[0]?.extensions?.code;

function data<T>(r: Gql, field: string): T {
  expect(r.errors).toBeUndefined();
  return r.data![field] as T;
}

/** A distinct, valid image: seeded noise. */
async function image(
  seed: number,
  format: 'png' | 'jpeg' | 'webp' | 'tiff' = 'png',
  width = 64,
  height = 48,
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = x >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** A minimal uncompressed 24-bit BMP. */
function bmp(width: number, height: number): Buffer {
  const row = Math.floor((24 * width + 31) / 32) * 4;
  const out = Buffer.alloc(54 + row * height, 0x80);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(0, 30);
  return out;
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
  return Buffer.concat([head, body, crc]);
}

/** A valid 30000x30000 1-bit PNG (900 MP) of ~100 KB: a decompression bomb. */
function pngBomb(side = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * side); // filter byte 0 + zero pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}

async function signUp(email: string, org: string): Promise<string> {
  const r = await gql('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
    i: { email, password: 'correct horse battery', name: 'N', organizationName: org },
  });
  return data<{ token: string }>(r, 'signUp').token;
}

async function orgId(token: string): Promise<string> {
  const r = await gql('{ viewer { activeOrganization { id } } }', {}, token);
  return data<{ activeOrganization: { id: string } }>(r, 'viewer').activeOrganization.id;
}

/** Project -> product model -> dataset, through the API. */
async function firstDataset(
  token: string,
  name = 'Train',
): Promise<{ productModelId: string; datasetId: string }> {
  const project = data<{ id: string }>(
    await gql(
      'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      { i: { name: `Line ${name}` } },
      token,
    ),
    'createProject',
  );
  const pm = data<{ id: string }>(
    await gql(
      'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
      { i: { projectId: project.id, name: 'Housing' } },
      token,
    ),
    'createProductModel',
  );
  const ds = data<{ id: string; productModelId: string; name: string }>(
    await gql(
      'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id productModelId name } }',
      { i: { productModelId: pm.id, name } },
      token,
    ),
    'createDataset',
  );
  expect(ds).toMatchObject({ productModelId: pm.id, name });
  return { productModelId: pm.id, datasetId: ds.id };
}

const REQUEST = `mutation($i: RequestImageUploadsInput!) {
  requestImageUploads(input: $i) { fileName key url method headers { name value } expiresAt } }`;
const CONFIRM = `mutation($i: ConfirmImageUploadsInput!) {
  confirmImageUploads(input: $i) { fileName key ok image { id width height contentType }
    duplicateOf { id } error { code message } } }`;
const IMAGES = `query($d: ID!, $l: ImageLabel) { datasetImages(datasetId: $d, label: $l) {
  edges { node { id sha256 width height bytes contentType label originalName url } } } }`;

async function requestUploads(
  token: string,
  datasetId: string,
  files: { fileName: string; byteSize: number; contentType: string }[],
): Promise<Upload[]> {
  return data<Upload[]>(
    await gql(REQUEST, { i: { datasetId, files } }, token),
    'requestImageUploads',
  );
}

async function put(upload: Upload, body: Buffer): Promise<number> {
  const res = await fetch(upload.url, {
    method: upload.method,
    headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Request, PUT and confirm files; returns the per-file results. */
async function presignedUpload(
  token: string,
  datasetId: string,
  files: { name: string; body: Buffer; type?: string; declared?: number }[],
  label?: string,
): Promise<{ uploads: Upload[]; results: Result[] }> {
  const uploads = await requestUploads(
    token,
    datasetId,
    files.map((f) => ({
      fileName: f.name,
      byteSize: f.declared ?? f.body.length,
      contentType: f.type ?? 'image/png',
    })),
  );
  for (const [i, u] of uploads.entries()) expect(await put(u, files[i]!.body)).toBe(200);
  const results = data<Result[]>(
    await gql(CONFIRM, { i: { datasetId, keys: uploads.map((u) => u.key), label } }, token),
    'confirmImageUploads',
  );
  return { uploads, results };
}

/** A real GraphQL multipart request (spec: operations, map, files) with the preflight header. */
async function multipart(
  token: string,
  datasetId: string,
  files: { name: string; body: Buffer; type?: string }[],
  preflight = true,
): Promise<{ status: number; body: Gql }> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($d: ID!, $f: [Upload!]!) { uploadImages(datasetId: $d, files: $f, label: GOOD) {
        fileName ok image { id contentType } duplicateOf { id } error { code message } } }`,
      variables: { d: datasetId, f: files.map(() => null) },
    }),
  );
  form.append(
    'map',
    JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.f.${i}`]]))),
  );
  files.forEach((f, i) =>
    form.append(String(i), new Blob([f.body], { type: f.type ?? 'image/png' }), f.name),
  );
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(preflight ? { 'apollo-require-preflight': 'true' } : {}),
    },
    body: form,
  });
  const body = (await res.json()) as Gql;
  answers.push(body);
  return { status: res.status, body };
}

/** Where an image's bytes are stored (not exposed by the API: clients get a presigned `url`). */
async function objectKeyOf(imageId: string): Promise<string> {
  const row = await db.database.prisma.datasetImage.findUniqueOrThrow({ where: { id: imageId } });
  return row.objectKey;
}

async function imageCount(datasetId: string): Promise<number> {
  return db.database.prisma.datasetImage.count({ where: { datasetId } });
}

beforeAll(async () => {
  db = await freshPostgres();
  s3 = await startTestS3Server();
  store = new S3ObjectStore(s3.config);
  dataDir = await mkdtemp(join(tmpdir(), 'padim-api-datasets-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    IMAGE_MAX_BYTES: String(MAX_BYTES),
    MULTIPART_MAX_FILE_BYTES: String(MULTIPART_MAX),
    UPLOAD_MAX_FILES: '10',
  });
  app = await createApp({ config, database: db.database, objectStore: store });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
});

afterAll(async () => {
  await app?.close();
  await s3?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('datasets over HTTP with PostgreSQL and S3', () => {
  let owner: string;
  let org: string;
  let datasetId: string;
  let productModelId: string;

  beforeAll(async () => {
    owner = await signUp('eng@datasets.test', 'Datasets Inc');
    org = await orgId(owner);
    ({ datasetId, productModelId } = await firstDataset(owner));
  });

  it('goes from sign-up to a first dataset, listed and fetched', async () => {
    const list = await gql(
      'query($p: ID!) { datasets(productModelId: $p) { edges { node { id name } } pageInfo { hasNextPage } } }',
      { p: productModelId },
      owner,
    );
    expect(data(list, 'datasets')).toEqual({
      edges: [{ node: { id: datasetId, name: 'Train' } }],
      pageInfo: { hasNextPage: false },
    });
    const one = await gql(
      'query($id: ID!) { dataset(id: $id) { name } }',
      { id: datasetId },
      owner,
    );
    expect(data(one, 'dataset')).toEqual({ name: 'Train' });
    const again = await gql(
      'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
      { i: { productModelId, name: 'Train' } },
      owner,
    );
    expect(code(again)).toBe('CONFLICT');
    const blank = await gql(
      'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
      { i: { productModelId, name: '  ' } },
      owner,
    );
    expect(code(blank)).toBe('BAD_USER_INPUT');
  });

  it('uploads through presigned PUT URLs end to end, sniffing the real type', async () => {
    const png = await image(1);
    const jpeg = await image(2, 'jpeg', 80, 60);
    const webp = await image(3, 'webp');
    const tiff = await image(4, 'tiff');
    const bitmap = bmp(20, 10);
    const { uploads, results } = await presignedUpload(
      owner,
      datasetId,
      [
        { name: 'a.png', body: png },
        // Declared as PNG, actually JPEG: the content wins.
        { name: 'b camera #1.png', body: jpeg },
        { name: 'c.webp', body: webp, type: 'image/webp' },
        { name: 'd.tiff', body: tiff, type: 'image/tiff' },
        { name: 'e.bmp', body: bitmap, type: 'image/bmp' },
      ],
      'GOOD',
    );
    expect(uploads[0]!.method).toBe('PUT');
    // Clients upload to a staging key; the checked bytes move to a key no client had a URL for.
    expect(uploads[0]!.key.startsWith(`org/${org}/datasets/${datasetId}/uploads/`)).toBe(true);
    expect(
      (await objectKeyOf(results[0]!.image!.id)).startsWith(
        `org/${org}/datasets/${datasetId}/images/`,
      ),
    ).toBe(true);
    expect(await store.exists(uploads[0]!.key)).toBe(false);
    // Reusing the presigned URL after confirmation cannot swap the checked image.
    expect(await put(uploads[0]!, Buffer.from('<html><script>alert(1)</script></html>'))).toBe(200);
    const stored = await store.get(await objectKeyOf(results[0]!.image!.id));
    expect(Buffer.from(stored).equals(png)).toBe(true);
    expect(results.map((r) => [r.ok, r.image?.contentType, r.image?.width])).toEqual([
      [true, 'image/png', 64],
      [true, 'image/jpeg', 80],
      [true, 'image/webp', 64],
      [true, 'image/tiff', 64],
      [true, 'image/bmp', 20],
    ]);

    const listed = data<{ edges: { node: Record<string, unknown> }[] }>(
      await gql(IMAGES, { d: datasetId, l: 'GOOD' }, owner),
      'datasetImages',
    );
    expect(listed.edges).toHaveLength(5);
    const jpegNode = listed.edges.find((e) => e.node.contentType === 'image/jpeg')!.node;
    expect(jpegNode).toMatchObject({
      width: 80,
      height: 60,
      bytes: jpeg.length,
      label: 'GOOD',
      originalName: 'b_camera__1.png',
    });
    // The presigned GET serves the bytes with the sniffed type.
    const got = await fetch(jpegNode.url as string);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(
      data<{ edges: unknown[] }>(
        await gql(IMAGES, { d: datasetId, l: 'DEFECT' }, owner),
        'datasetImages',
      ).edges,
    ).toHaveLength(0);

    // Confirming again is idempotent: the same image, nothing added; the image keeps its checked
    // bytes and whatever was re-uploaded to the staging key is dropped.
    const again = data<Result[]>(
      await gql(CONFIRM, { i: { datasetId, keys: [uploads[0]!.key] } }, owner),
      'confirmImageUploads',
    );
    expect(again[0]).toMatchObject({ ok: true, image: { id: results[0]!.image!.id } });
    expect(await imageCount(datasetId)).toBe(5);
    expect(await store.exists(await objectKeyOf(results[0]!.image!.id))).toBe(true);
    expect(await store.exists(uploads[0]!.key)).toBe(false);
  });

  it('rejects a text file named .png, a truncated PNG, an oversized file and a PNG bomb, leaving nothing', async () => {
    const before = await imageCount(datasetId);
    const good = await image(10);
    const truncated = (await image(11, 'png', 256, 256)).subarray(0, 3000);
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const oversized = Buffer.concat([await image(12), Buffer.alloc(MAX_BYTES)]);
    const { uploads, results } = await presignedUpload(owner, datasetId, [
      { name: 'notes.png', body: Buffer.from('hello, this is not an image\n'.repeat(20)) },
      { name: 'truncated.png', body: truncated },
      // S3 presigned PUTs do not bind the size: the client lies, the confirm step catches it.
      { name: 'big.png', body: oversized, declared: 1000 },
      { name: 'bomb.png', body: bomb },
      { name: 'fine.png', body: good },
    ]);
    expect(results.map((r) => r.error?.code ?? 'OK')).toEqual([
      'UNSUPPORTED_TYPE',
      'CORRUPT',
      'TOO_LARGE',
      'TOO_MANY_PIXELS',
      'OK',
    ]);
    for (const r of results.slice(0, 4)) expect(r.error!.message.length).toBeGreaterThan(5);
    for (const u of uploads.slice(0, 4)) expect(await store.exists(u.key)).toBe(false);
    expect(await imageCount(datasetId)).toBe(before + 1);
  });

  it('refuses bad upload requests up front with client errors', async () => {
    const attempts = [
      gql(
        REQUEST,
        {
          i: {
            datasetId,
            files: [{ fileName: 'x.png', byteSize: MAX_BYTES + 1, contentType: 'image/png' }],
          },
        },
        owner,
      ),
      gql(
        REQUEST,
        {
          i: { datasetId, files: [{ fileName: 'x.txt', byteSize: 10, contentType: 'text/html' }] },
        },
        owner,
      ),
      gql(
        REQUEST,
        { i: { datasetId, files: [{ fileName: 'x.png', byteSize: 0, contentType: 'image/png' }] } },
        owner,
      ),
      gql(
        REQUEST,
        {
          i: {
            datasetId,
            files: Array.from({ length: 11 }, (_, i) => ({
              fileName: `${i}.png`,
              byteSize: 10,
              contentType: 'image/png',
            })),
          },
        },
        owner,
      ),
      gql(REQUEST, { i: { datasetId, files: [] } }, owner),
    ];
    expect((await Promise.all(attempts)).map(code)).toEqual([
      'PAYLOAD_TOO_LARGE',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    // Unknown keys in this dataset: reported per key, nothing else happens.
    const unknown = data<Result[]>(
      await gql(
        CONFIRM,
        {
          i: {
            datasetId,
            keys: [
              `org/${org}/datasets/${datasetId}/images/00000000-0000-0000-0000-000000000000-x.png`,
              '../../etc/passwd',
              `org/${org}/datasets/${datasetId}/images/`,
            ],
          },
        },
        owner,
      ),
      'confirmImageUploads',
    );
    expect(unknown.map((r) => r.error?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('detects duplicates by sha256 without storing them twice', async () => {
    const bytes = await image(20);
    const first = await presignedUpload(owner, datasetId, [{ name: 'one.png', body: bytes }]);
    expect(first.results[0]!.ok).toBe(true);
    const count = await imageCount(datasetId);
    const second = await presignedUpload(owner, datasetId, [
      { name: 'again.png', body: bytes },
      { name: 'new.png', body: await image(21) },
    ]);
    expect(second.results[0]).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE' },
      duplicateOf: { id: first.results[0]!.image!.id },
    });
    expect(second.results[1]!.ok).toBe(true);
    expect(await store.exists(second.uploads[0]!.key)).toBe(false);
    expect(await store.exists(await objectKeyOf(first.results[0]!.image!.id))).toBe(true);
    expect(await imageCount(datasetId)).toBe(count + 1);
    // The same file twice in one multipart batch.
    const dup = await image(22);
    const { body } = await multipart(owner, datasetId, [
      { name: 'x.png', body: dup },
      { name: 'y.png', body: dup },
    ]);
    const results = data<Result[]>(body, 'uploadImages');
    expect(results.map((r) => r.error?.code ?? 'OK')).toEqual(['OK', 'DUPLICATE']);
  });

  it('uploads through GraphQL multipart, with per-file results and limits', async () => {
    const before = await imageCount(datasetId);
    const { status, body } = await multipart(owner, datasetId, [
      { name: 'm1.png', body: await image(30) },
      { name: 'm2.jpg', body: await image(31, 'jpeg'), type: 'image/jpeg' },
      { name: 'evil.png', body: Buffer.from('<script>alert(1)</script>') },
      { name: 'huge.png', body: Buffer.concat([await image(32), Buffer.alloc(MULTIPART_MAX)]) },
    ]);
    expect(status).toBe(200);
    const results = data<Result[]>(body, 'uploadImages');
    expect(results.map((r) => [r.fileName, r.error?.code ?? r.image?.contentType])).toEqual([
      ['m1.png', 'image/png'],
      ['m2.jpg', 'image/jpeg'],
      ['evil.png', 'UNSUPPORTED_TYPE'],
      ['huge.png', 'TOO_LARGE'],
    ]);
    expect(await imageCount(datasetId)).toBe(before + 2);
    const labels = await db.database.prisma.datasetImage.findMany({
      where: { id: { in: results.filter((r) => r.ok).map((r) => r.image!.id) } },
      select: { label: true, objectKey: true },
    });
    expect(labels.map((l) => l.label)).toEqual(['GOOD', 'GOOD']);
    for (const l of labels) expect(await store.exists(l.objectKey)).toBe(true);

    // Apollo's CSRF prevention: a multipart request without the preflight header is refused.
    const csrf = await multipart(
      owner,
      datasetId,
      [{ name: 'z.png', body: await image(33) }],
      false,
    );
    expect(csrf.status).toBe(400);
    expect(await imageCount(datasetId)).toBe(before + 2);
    // Too many files for the multipart limit: a typed 413, not an HTML page.
    const many = await multipart(
      owner,
      datasetId,
      await Promise.all(
        Array.from({ length: 21 }, async (_, i) => ({
          name: `${i}.png`,
          body: await image(100 + i),
        })),
      ),
    );
    expect(many.status).toBe(413);
    expect(code(many.body)).toBe('PAYLOAD_TOO_LARGE');
    expect(await imageCount(datasetId)).toBe(before + 2);
  });

  it('takes immutable snapshots with an audit event', async () => {
    const count = await imageCount(datasetId);
    const snap = data<{ id: string; imageCount: number; name: string }>(
      await gql(
        'mutation($i: CreateDatasetSnapshotInput!) { createDatasetSnapshot(input: $i) { id imageCount name } }',
        { i: { datasetId, name: 'first training set' } },
        owner,
      ),
      'createDatasetSnapshot',
    );
    expect(snap).toMatchObject({ imageCount: count, name: 'first training set' });
    await presignedUpload(owner, datasetId, [{ name: 'later.png', body: await image(40) }]);
    const list = data<{ edges: { node: { id: string; imageCount: number } }[] }>(
      await gql(
        'query($d: ID!) { datasetSnapshots(datasetId: $d) { edges { node { id imageCount } } } }',
        { d: datasetId },
        owner,
      ),
      'datasetSnapshots',
    );
    expect(list.edges).toEqual([{ node: { id: snap.id, imageCount: count } }]);
    expect(
      await db.database.prisma.datasetSnapshotImage.count({ where: { snapshotId: snap.id } }),
    ).toBe(count);
    const audit = await db.database.prisma.auditEvent.findFirst({
      where: { action: 'dataset.snapshot', targetId: snap.id },
    });
    expect(audit).not.toBeNull();
    const { datasetId: empty } = await firstDataset(owner, 'Empty');
    expect(
      code(
        await gql(
          'mutation($i: CreateDatasetSnapshotInput!) { createDatasetSnapshot(input: $i) { id } }',
          { i: { datasetId: empty } },
          owner,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  describe('tenancy and roles', () => {
    let bob: string;
    let bobDataset: string;
    let aliceKey: string;
    let aliceImageKey: string;

    beforeAll(async () => {
      bob = await signUp('bob@elsewhere.test', 'Elsewhere');
      ({ datasetId: bobDataset } = await firstDataset(bob, 'Bob set'));
      const { uploads, results } = await presignedUpload(owner, datasetId, [
        { name: 'alice-secret.png', body: await image(50) },
      ]);
      aliceKey = uploads[0]!.key;
      aliceImageKey = await objectKeyOf(results[0]!.image!.id);
    });

    it('answers NOT_FOUND for a foreign id through every query and mutation, and changes nothing', async () => {
      const count = await imageCount(datasetId);
      const snapshots = await db.database.prisma.datasetSnapshot.count({ where: { datasetId } });
      const attempts = [
        gql('query($id: ID!) { dataset(id: $id) { name } }', { id: datasetId }, bob),
        gql(
          'query($p: ID!) { datasets(productModelId: $p) { edges { cursor } } }',
          { p: productModelId },
          bob,
        ),
        gql(IMAGES, { d: datasetId }, bob),
        gql(
          'query($d: ID!) { datasetSnapshots(datasetId: $d) { edges { cursor } } }',
          { d: datasetId },
          bob,
        ),
        gql(
          'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
          { i: { productModelId, name: 'sneaky' } },
          bob,
        ),
        gql('mutation($id: ID!) { deleteDataset(id: $id) { id } }', { id: datasetId }, bob),
        gql(
          REQUEST,
          {
            i: {
              datasetId,
              files: [{ fileName: 'x.png', byteSize: 10, contentType: 'image/png' }],
            },
          },
          bob,
        ),
        gql(CONFIRM, { i: { datasetId, keys: [aliceKey] } }, bob),
        gql(
          'mutation($i: CreateDatasetSnapshotInput!) { createDatasetSnapshot(input: $i) { id } }',
          { i: { datasetId } },
          bob,
        ),
      ];
      for (const r of await Promise.all(attempts)) {
        expect(code(r)).toBe('NOT_FOUND');
        expect(JSON.stringify(r)).not.toMatch(/Train|alice-secret|Housing/);
      }
      const upload = await multipart(bob, datasetId, [{ name: 'x.png', body: await image(51) }]);
      expect(code(upload.body)).toBe('NOT_FOUND');

      // Alice's key confirmed into Bob's own dataset: NOT_FOUND per key, her object untouched.
      const steal = data<Result[]>(
        await gql(CONFIRM, { i: { datasetId: bobDataset, keys: [aliceKey] } }, bob),
        'confirmImageUploads',
      );
      expect(steal[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' }, image: null });
      expect(await store.exists(aliceImageKey)).toBe(true);
      expect(await imageCount(bobDataset)).toBe(0);
      expect(await imageCount(datasetId)).toBe(count);
      expect(await db.database.prisma.datasetSnapshot.count({ where: { datasetId } })).toBe(
        snapshots,
      );
      expect(
        data(
          await gql('query($id: ID!) { dataset(id: $id) { name } }', { id: datasetId }, owner),
          'dataset',
        ),
      ).toEqual({
        name: 'Train',
      });
    });

    it('a VIEWER reads images but cannot upload or create datasets', async () => {
      const key = await gql(
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
        { i: { name: 'dashboard', role: 'VIEWER' } },
        owner,
      );
      const viewer = data<{ secret: string }>(key, 'createApiKey').secret;
      const listed = data<{ edges: { node: { url: string } }[] }>(
        await gql(IMAGES, { d: datasetId }, viewer),
        'datasetImages',
      );
      expect(listed.edges.length).toBeGreaterThan(0);
      expect((await fetch(listed.edges[0]!.node.url)).status).toBe(200);
      const count = await imageCount(datasetId);
      expect(
        code(
          await gql(
            REQUEST,
            {
              i: {
                datasetId,
                files: [{ fileName: 'x.png', byteSize: 10, contentType: 'image/png' }],
              },
            },
            viewer,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(code(await gql(CONFIRM, { i: { datasetId, keys: [aliceKey] } }, viewer))).toBe(
        'FORBIDDEN',
      );
      expect(
        code((await multipart(viewer, datasetId, [{ name: 'v.png', body: await image(60) }])).body),
      ).toBe('FORBIDDEN');
      expect(
        code(
          await gql(
            'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
            { i: { productModelId, name: 'viewer set' } },
            viewer,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        code(
          await gql(
            'mutation($id: ID!) { deleteDataset(id: $id) { id } }',
            { id: datasetId },
            viewer,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(await imageCount(datasetId)).toBe(count);
    });
  });

  it('deletes a dataset with its rows and its objects', async () => {
    const { datasetId: doomed } = await firstDataset(owner, 'Doomed');
    await presignedUpload(owner, doomed, [{ name: 'd.png', body: await image(70) }]);
    const { body } = await multipart(owner, doomed, [{ name: 'e.png', body: await image(71) }]);
    expect(data<Result[]>(body, 'uploadImages')[0]!.ok).toBe(true);
    await gql(
      'mutation($i: CreateDatasetSnapshotInput!) { createDatasetSnapshot(input: $i) { id } }',
      { i: { datasetId: doomed } },
      owner,
    );
    const prefix = `org/${org}/datasets/${doomed}/`;
    expect(await objectsUnder(prefix)).toHaveLength(2);
    const deleted = await gql(
      'mutation($id: ID!) { deleteDataset(id: $id) { id } }',
      { id: doomed },
      owner,
    );
    expect(data(deleted, 'deleteDataset')).toEqual({ id: doomed });
    expect(await imageCount(doomed)).toBe(0);
    expect(await objectsUnder(prefix)).toEqual([]);
    expect(await objectsUnder(`org/${org}/datasets/${datasetId}/`)).not.toHaveLength(0);
    expect(
      code(await gql('query($id: ID!) { dataset(id: $id) { id } }', { id: doomed }, owner)),
    ).toBe('NOT_FOUND');
  });

  it('deleting a product model removes its datasets objects too', async () => {
    const { productModelId, datasetId: gone } = await firstDataset(owner, 'Retired');
    await presignedUpload(owner, gone, [{ name: 'r.png', body: await image(72) }]);
    const prefix = `org/${org}/datasets/${gone}/`;
    expect(await objectsUnder(prefix)).toHaveLength(1);
    const deleted = await gql(
      'mutation($id: ID!) { deleteProductModel(id: $id) { id } }',
      { id: productModelId },
      owner,
    );
    expect(data(deleted, 'deleteProductModel')).toEqual({ id: productModelId });
    expect(await objectsUnder(prefix)).toEqual([]);
    expect(await objectsUnder(`org/${org}/datasets/${datasetId}/`)).not.toHaveLength(0);
  });

  it('reports the object store in /readyz', async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { name: string; ok: boolean }[] };
    expect(body.checks).toContainEqual({ name: 'objectStore', ok: true });
  });

  it('never answered INTERNAL_SERVER_ERROR', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const a of answers) {
      for (const e of a.errors ?? []) expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });
});
