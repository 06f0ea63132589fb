import 'reflect-metadata';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/main.js';
import { SIGNING_SECRET_FILE } from '../src/storage/object-store.factory.js';
import { freshPostgres } from './helpers/database.js';

type Gql = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
type Upload = {
  key: string;
  url: string;
  method: string;
  headers: { name: string; value: string }[];
};

/** The embedded mode: no S3_ENDPOINT, so the filesystem store with URLs the API serves itself. */
let db: Awaited<ReturnType<typeof freshPostgres>>;
let app: INestApplication;
let url: string;
let dataDir: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function gql(
  query: string,
  variables: Record<string, unknown>,
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
  return (await res.json()) as Gql;
}

function data<T>(r: Gql, field: string): T {
  expect(r.errors).toBeUndefined();
  return r.data![field] as T;
}

beforeAll(async () => {
  db = await freshPostgres();
  dataDir = await mkdtemp(join(tmpdir(), 'padim-api-fs-'));
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  app = await createApp({ config, database: db.database });
  await app.listen(port, '127.0.0.1');
  url = await app.getUrl();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('filesystem object store (embedded mode)', () => {
  it('uploads through a presigned PUT to the API /objects route, confirms and serves it', async () => {
    const secret = await readFile(join(dataDir, SIGNING_SECRET_FILE), 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const signUp = await gql('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: {
        email: 'fs@example.com',
        password: 'correct horse battery',
        name: 'F',
        organizationName: 'Fs',
      },
    });
    const token = data<{ token: string }>(signUp, 'signUp').token;
    const project = data<{ id: string }>(
      await gql(
        'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
        { i: { name: 'P' } },
        token,
      ),
      'createProject',
    );
    const pm = data<{ id: string }>(
      await gql(
        'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
        { i: { projectId: project.id, name: 'M' } },
        token,
      ),
      'createProductModel',
    );
    const ds = data<{ id: string }>(
      await gql(
        'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
        { i: { productModelId: pm.id, name: 'D' } },
        token,
      ),
      'createDataset',
    );
    const png = await sharp({
      create: { width: 32, height: 16, channels: 3, background: { r: 200, g: 10, b: 10 } },
    })
      .png()
      .toBuffer();
    const [upload] = data<Upload[]>(
      await gql(
        `mutation($i: RequestImageUploadsInput!) { requestImageUploads(input: $i) {
          key url method headers { name value } } }`,
        {
          i: {
            datasetId: ds.id,
            files: [{ fileName: 'red.png', byteSize: png.length, contentType: 'image/png' }],
          },
        },
        token,
      ),
      'requestImageUploads',
    );
    expect(upload!.url.startsWith(`${url}/objects/org/`)).toBe(true);
    const headers = Object.fromEntries(upload!.headers.map((h) => [h.name, h.value]));

    // The route enforces what the URL signs: the content type and the declared size.
    const wrongType = await fetch(upload!.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/html' },
      body: png,
    });
    expect(wrongType.status).toBe(403);
    const tooBig = await fetch(upload!.url, {
      method: 'PUT',
      headers,
      body: Buffer.concat([png, Buffer.alloc(10)]),
    });
    expect(tooBig.status).toBe(413);
    const forged = await fetch(upload!.url.replace(/sig=[^&]+/, 'sig=AAAA'), {
      method: 'PUT',
      headers,
      body: png,
    });
    expect(forged.status).toBe(403);

    const ok = await fetch(upload!.url, { method: upload!.method, headers, body: png });
    expect(ok.status).toBe(200);
    const confirmed = data<{ ok: boolean; image: { url: string; width: number } }[]>(
      await gql(
        `mutation($i: ConfirmImageUploadsInput!) { confirmImageUploads(input: $i) {
          ok image { url width } error { code } } }`,
        { i: { datasetId: ds.id, keys: [upload!.key] } },
        token,
      ),
      'confirmImageUploads',
    );
    expect(confirmed[0]).toMatchObject({ ok: true, image: { width: 32 } });
    const got = await fetch(confirmed[0]!.image.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);

    const ready = (await (await fetch(`${url}/readyz`)).json()) as {
      checks: { name: string; ok: boolean }[];
    };
    expect(ready.checks).toContainEqual({ name: 'objectStore', ok: true });
  });
});
