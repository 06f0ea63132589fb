import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ObjectStoreErrorCode,
  TenantObjectStore,
  checkUploadedObject,
  tenantKey,
  tenantPrefix,
  type ObjectStore,
} from '../../src/index.js';
import { bytes, chunked, collect, md5Hex, newOrgId, readAll, sameBytes } from './data.js';

export interface ContractBackend {
  readonly store: ObjectStore;
  /** A store on the same backend (same data) whose clock is `clock` (to age presigned URLs). */
  withClock(clock: () => Date): ObjectStore;
  /** Whether a presigned PUT enforces content type and maxBytes itself. */
  readonly enforcesPutLimits: boolean;
  /** Whether a tampered presigned URL is refused (s3rver does not check SigV4 signatures). */
  readonly verifiesSignatures: boolean;
  teardown(): Promise<void>;
}

/** Asserts that `promise` rejects with an ObjectStoreError of `code` (never a raw client error). */
export async function expectCode(
  promise: Promise<unknown>,
  code: ObjectStoreErrorCode,
): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'ObjectStoreError', code });
}

const BAD_KEYS = [
  '',
  '/org/a/x',
  'org/a/../b/x',
  'org/a//x',
  'org/a/x/',
  '../x',
  './x',
  'org/a/.hidden',
  'org/a/with space',
  'org/a/ümlaut',
  'org\\a\\x',
  'org/a/x?y',
  'org/a/%2e%2e',
  `org/a/${'x'.repeat(201)}`,
];

/**
 * The behaviour every ObjectStore backend must share. Each test works under its own tenant
 * prefix, so the tests are independent of each other and of the order they run in.
 */
export function describeObjectStoreContract(
  name: string,
  setup: () => Promise<ContractBackend>,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let backend: ContractBackend;
    let store: ObjectStore;

    beforeAll(async () => {
      backend = await setup();
      store = backend.store;
    });
    afterAll(async () => {
      await backend?.teardown();
    });

    it('puts bytes and reads them back with head, get, getStream and exists', async () => {
      const key = tenantKey(newOrgId(), 'images', 'a.png');
      const data = bytes(1000);
      const put = await store.put(key, data, {
        contentType: 'image/png',
        metadata: { 'dataset-id': 'd1', sha256: 'abc' },
      });
      expect(put).toEqual({ etag: md5Hex(data), size: 1000 });
      expect(sameBytes(await store.get(key), data)).toBe(true);
      expect(sameBytes(await readAll(await store.getStream(key)), data)).toBe(true);
      expect(await store.exists(key)).toBe(true);
      const info = await store.head(key);
      expect(info).toMatchObject({
        size: 1000,
        contentType: 'image/png',
        etag: md5Hex(data),
        metadata: { 'dataset-id': 'd1', sha256: 'abc' },
      });
      expect(info?.lastModified).toBeInstanceOf(Date);
    });

    it('stores content types as given', async () => {
      const org = newOrgId();
      const types = {
        'stats.safetensors': 'application/octet-stream',
        'detector.onnx': 'application/x-onnx',
        'heatmap.png': 'image/png',
        'meta.json': 'application/json; charset=utf-8',
      };
      for (const [file, contentType] of Object.entries(types)) {
        await store.put(tenantKey(org, 'm', file), bytes(10), { contentType });
      }
      for (const [file, contentType] of Object.entries(types)) {
        expect((await store.head(tenantKey(org, 'm', file)))?.contentType).toBe(contentType);
      }
    });

    it('puts a stream of known size and an empty object', async () => {
      const org = newOrgId();
      const data = bytes(300_000);
      const key = tenantKey(org, 'stream.bin');
      await store.put(
        key,
        { stream: chunked(data, 7_777), size: data.length },
        {
          contentType: 'application/octet-stream',
        },
      );
      expect(sameBytes(await store.get(key), data)).toBe(true);

      const empty = tenantKey(org, 'empty.bin');
      await store.put(empty, new Uint8Array(0), { contentType: 'application/octet-stream' });
      expect(sameBytes(await store.get(empty), new Uint8Array(0))).toBe(true);
      expect(sameBytes(await readAll(await store.getStream(empty)), new Uint8Array(0))).toBe(true);
      expect((await store.head(empty))?.size).toBe(0);
    });

    it('round-trips a ~5 MB object streamed in and out (one PUT)', async () => {
      const key = tenantKey(newOrgId(), 'models', 'v1', 'padim.safetensors');
      const data = bytes(5 * 1024 * 1024 + 123);
      const put = await store.put(
        key,
        { stream: chunked(data), size: data.length },
        {
          contentType: 'application/octet-stream',
        },
      );
      // A single-part upload's S3 etag is the body's MD5; a multipart one would end in "-N".
      expect(put.etag).toBe(md5Hex(data));
      const back = await readAll(await store.getStream(key));
      expect(back.length).toBe(data.length);
      expect(md5Hex(back)).toBe(md5Hex(data));
      expect(sameBytes(await store.get(key), data)).toBe(true);
    });

    it('replaces an object on a second put', async () => {
      const key = tenantKey(newOrgId(), 'x.bin');
      await store.put(key, bytes(100), { contentType: 'text/plain', metadata: { a: '1' } });
      const second = bytes(50);
      await store.put(key, second, { contentType: 'image/jpeg' });
      expect(sameBytes(await store.get(key), second)).toBe(true);
      expect(await store.head(key)).toMatchObject({
        size: 50,
        contentType: 'image/jpeg',
        metadata: {},
      });
    });

    it('refuses a stream that yields a different size than declared, storing nothing', async () => {
      const org = newOrgId();
      const short = tenantKey(org, 'short.bin');
      await expectCode(
        store.put(short, { stream: chunked(bytes(100)), size: 200 }, { contentType: 'text/plain' }),
        ObjectStoreErrorCode.SIZE_MISMATCH,
      );
      const long = tenantKey(org, 'long.bin');
      await expectCode(
        store.put(
          long,
          { stream: chunked(bytes(300), 50), size: 200 },
          { contentType: 'text/plain' },
        ),
        ObjectStoreErrorCode.SIZE_MISMATCH,
      );
      expect(await store.exists(short)).toBe(false);
      expect(await store.exists(long)).toBe(false);
    });

    it('fails a put whose source stream errors, without storing', async () => {
      const key = tenantKey(newOrgId(), 'broken.bin');
      const broken = new Readable({
        read() {
          this.destroy(new Error('disk read failed'));
        },
      });
      await expect(
        store.put(key, { stream: broken, size: 10 }, { contentType: 'text/plain' }),
      ).rejects.toMatchObject({ name: 'ObjectStoreError' });
      expect(await store.exists(key)).toBe(false);
    });

    it('answers NOT_FOUND for missing objects, null from head, and deletes idempotently', async () => {
      const key = tenantKey(newOrgId(), 'missing.png');
      await expectCode(store.get(key), ObjectStoreErrorCode.NOT_FOUND);
      await expectCode(store.getStream(key), ObjectStoreErrorCode.NOT_FOUND);
      expect(await store.head(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it('deletes an object', async () => {
      const key = tenantKey(newOrgId(), 'a', 'b.bin');
      await store.put(key, bytes(5), { contentType: 'text/plain' });
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
      await expectCode(store.get(key), ObjectStoreErrorCode.NOT_FOUND);
    });

    it('lists recursively under a folder prefix and nothing beside it', async () => {
      const org = newOrgId();
      const keys = [
        tenantKey(org, 'ds', 'img-b.png'),
        tenantKey(org, 'ds', 'img-a.png'),
        tenantKey(org, 'ds', 'sub', 'c.png'),
        tenantKey(org, 'ds', 'sub-x.png'),
        tenantKey(org, 'ds.txt'),
        tenantKey(org, 'ds2', 'z.png'),
      ];
      for (const [i, key] of keys.entries()) {
        await store.put(key, bytes(i + 1), { contentType: 'image/png' });
      }
      const listed = await collect(store.list(tenantPrefix(org, 'ds')));
      listed.sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(listed.map((o) => o.key)).toEqual([
        tenantKey(org, 'ds', 'img-a.png'),
        tenantKey(org, 'ds', 'img-b.png'),
        tenantKey(org, 'ds', 'sub-x.png'),
        tenantKey(org, 'ds', 'sub', 'c.png'),
      ]);
      expect(listed[0]).toMatchObject({ size: 2 });
      expect(listed[0]?.lastModified).toBeInstanceOf(Date);
      expect(listed[0]?.etag).toMatch(/^[0-9a-f]{32}$/);

      const all = await collect(store.list(tenantPrefix(org)));
      expect(all.map((o) => o.key).sort()).toEqual([...keys].sort());
      const everything = (await collect(store.list(''))).map((o) => o.key);
      for (const key of keys) expect(everything).toContain(key);
      expect(await collect(store.list(tenantPrefix(org, 'nothing')))).toEqual([]);
    });

    it('deletes a prefix (cascade) and only that prefix', async () => {
      const org = newOrgId();
      const model = tenantPrefix(org, 'models', 'm1');
      for (const file of ['padim.safetensors', 'detector.onnx']) {
        await store.put(`${model}${file}`, bytes(10), { contentType: 'application/octet-stream' });
      }
      await store.put(`${model}v2/detector.onnx`, bytes(10), {
        contentType: 'application/octet-stream',
      });
      const sibling = tenantKey(org, 'models', 'm10', 'detector.onnx');
      const neighbour = tenantKey(org, 'models', 'm1.json');
      await store.put(sibling, bytes(10), { contentType: 'application/octet-stream' });
      await store.put(neighbour, bytes(10), { contentType: 'application/json' });

      expect(await store.deletePrefix(model)).toBe(3);
      expect(await collect(store.list(model))).toEqual([]);
      expect(await store.exists(sibling)).toBe(true);
      expect(await store.exists(neighbour)).toBe(true);
      expect(await store.deletePrefix(model)).toBe(0);
      // Deleting the whole organization.
      expect(await store.deletePrefix(tenantPrefix(org))).toBe(2);
      expect(await collect(store.list(tenantPrefix(org)))).toEqual([]);
    });

    it('refuses bad keys and prefixes with INVALID_KEY on every method', async () => {
      for (const key of BAD_KEYS) {
        await expectCode(
          store.put(key, bytes(1), { contentType: 'text/plain' }),
          ObjectStoreErrorCode.INVALID_KEY,
        );
        await expectCode(store.get(key), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.getStream(key), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.head(key), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.exists(key), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.delete(key), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.presignedGetUrl(key, 60), ObjectStoreErrorCode.INVALID_KEY);
        await expectCode(store.presignedPutUrl(key, 60), ObjectStoreErrorCode.INVALID_KEY);
      }
      const org = newOrgId();
      // Partial parts are refused: 'org/1' would also match 'org/10/...'.
      for (const prefix of ['', `org/${org}`, '/org/', 'org/../', 'org//', 'org/a b/']) {
        await expectCode(store.deletePrefix(prefix), ObjectStoreErrorCode.INVALID_KEY);
      }
      await expectCode(collect(store.list(`org/${org}`)), ObjectStoreErrorCode.INVALID_KEY);
      await expectCode(collect(store.list('../')), ObjectStoreErrorCode.INVALID_KEY);
    });

    it('refuses bad content types, metadata and expiries with INVALID_ARGUMENT', async () => {
      const key = tenantKey(newOrgId(), 'x.bin');
      const bad = ObjectStoreErrorCode.INVALID_ARGUMENT;
      await expectCode(store.put(key, bytes(1), { contentType: '' }), bad);
      await expectCode(store.put(key, bytes(1), { contentType: 'image/png\r\nx-evil: 1' }), bad);
      await expectCode(
        store.put(key, bytes(1), { contentType: 'text/plain', metadata: { 'Bad Key': 'v' } }),
        bad,
      );
      await expectCode(
        store.put(key, bytes(1), { contentType: 'text/plain', metadata: { 'content-type': 'v' } }),
        bad,
      );
      await expectCode(
        store.put(key, bytes(1), { contentType: 'text/plain', metadata: { k: 'é' } }),
        bad,
      );
      await expectCode(
        store.put(key, bytes(1), { contentType: 'text/plain', metadata: { k: 'x'.repeat(3000) } }),
        bad,
      );
      await expectCode(store.presignedGetUrl(key, 0), bad);
      await expectCode(store.presignedGetUrl(key, 1.5), bad);
      await expectCode(store.presignedGetUrl(key, 7 * 24 * 3600 + 1), bad);
      await expectCode(store.presignedPutUrl(key, 60, { maxBytes: -1 }), bad);
      expect(await store.exists(key)).toBe(false);
    });

    it('serves a presigned GET URL to plain fetch', async () => {
      const key = tenantKey(newOrgId(), 'heatmaps', 'h.png');
      const data = bytes(70_000);
      await store.put(key, data, { contentType: 'image/png' });
      const url = await store.presignedGetUrl(key, 60);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(sameBytes(new Uint8Array(await res.arrayBuffer()), data)).toBe(true);

      const missing = await fetch(
        await store.presignedGetUrl(tenantKey(newOrgId(), 'nope.png'), 60),
      );
      expect(missing.status).toBe(404);
    });

    it('accepts an upload through a presigned PUT URL', async () => {
      const key = tenantKey(newOrgId(), 'uploads', 'u.jpg');
      const data = bytes(200_000);
      const presigned = await store.presignedPutUrl(key, 60, {
        contentType: 'image/jpeg',
        maxBytes: 1_000_000,
      });
      expect(presigned.method).toBe('PUT');
      expect(presigned.headers).toEqual({ 'content-type': 'image/jpeg' });
      expect(presigned.expiresAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
      const res = await fetch(presigned.url, {
        method: 'PUT',
        headers: presigned.headers,
        body: data,
      });
      expect(res.status).toBe(200);
      expect(sameBytes(await store.get(key), data)).toBe(true);
      expect(
        await checkUploadedObject(store, key, { contentType: 'image/jpeg', maxBytes: 1_000_000 }),
      ).toMatchObject({ size: data.length, contentType: 'image/jpeg' });
    });

    it('honours presigned URL expiry', async () => {
      const key = tenantKey(newOrgId(), 'old.png');
      await store.put(key, bytes(10), { contentType: 'image/png' });
      // Signed two hours ago for one minute: long expired by the server's clock.
      const past = backend.withClock(() => new Date(Date.now() - 2 * 3600_000));
      const get = await fetch(await past.presignedGetUrl(key, 60));
      expect(get.status).toBe(403);
      const put = await past.presignedPutUrl(tenantKey(newOrgId(), 'late.png'), 60);
      const res = await fetch(put.url, { method: 'PUT', body: bytes(10) });
      expect(res.status).toBe(403);
    });

    it('refuses tampered presigned URLs where the backend checks signatures', async ({ skip }) => {
      if (!backend.verifiesSignatures) skip('s3rver does not verify SigV4 signatures');
      const org = newOrgId();
      const key = tenantKey(org, 'secret.png');
      await store.put(key, bytes(10), { contentType: 'image/png' });
      const url = await store.presignedGetUrl(key, 60);
      const other = tenantKey(newOrgId(), 'secret.png');
      await store.put(other, bytes(10), { contentType: 'image/png' });
      expect((await fetch(url.replace(key, other))).status).toBe(403);
      // A GET URL is not a PUT URL.
      expect((await fetch(url, { method: 'PUT', body: bytes(3) })).status).toBe(403);
    });

    it('enforces or post-checks the limits of a presigned PUT', async () => {
      const org = newOrgId();
      const limits = { contentType: 'image/png', maxBytes: 1000 };
      const big = tenantKey(org, 'big.png');
      const put = await store.presignedPutUrl(big, 60, limits);
      expect(put.enforced).toEqual({
        contentType: backend.enforcesPutLimits,
        maxBytes: backend.enforcesPutLimits,
      });
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes(5000) });
      if (backend.enforcesPutLimits) {
        expect(res.status).toBe(413);
        expect(await store.exists(big)).toBe(false);
      } else {
        // S3 stored it: the caller's check after the upload removes it.
        expect(res.status).toBe(200);
        await expectCode(checkUploadedObject(store, big, limits), ObjectStoreErrorCode.TOO_LARGE);
        expect(await store.exists(big)).toBe(false);
      }
      const typed = tenantKey(org, 'typed.png');
      const put2 = await store.presignedPutUrl(typed, 60, limits);
      const res2 = await fetch(put2.url, {
        method: 'PUT',
        headers: { 'content-type': 'text/html' },
        body: bytes(10),
      });
      if (backend.enforcesPutLimits) {
        expect(res2.status).toBe(403);
      } else {
        expect(res2.status).toBe(200);
        await expectCode(
          checkUploadedObject(store, typed, limits),
          ObjectStoreErrorCode.INVALID_ARGUMENT,
        );
      }
      expect(await store.exists(typed)).toBe(false);
      await expectCode(checkUploadedObject(store, typed, limits), ObjectStoreErrorCode.NOT_FOUND);
    });

    it('confines a TenantObjectStore to its organization', async () => {
      const orgA = newOrgId();
      const orgB = newOrgId();
      const a = new TenantObjectStore(store, orgA);
      const theirs = tenantKey(orgB, 'images', 'x.png');
      await store.put(theirs, bytes(10), { contentType: 'image/png' });
      const mine = a.key('images', 'x.png');
      expect(mine).toBe(`org/${orgA}/images/x.png`);
      await a.put(mine, bytes(10), { contentType: 'image/png' });

      const forbidden = ObjectStoreErrorCode.FORBIDDEN;
      await expectCode(a.get(theirs), forbidden);
      await expectCode(a.getStream(theirs), forbidden);
      await expectCode(a.head(theirs), forbidden);
      await expectCode(a.exists(theirs), forbidden);
      await expectCode(a.delete(theirs), forbidden);
      await expectCode(a.put(theirs, bytes(1), { contentType: 'image/png' }), forbidden);
      await expectCode(a.presignedGetUrl(theirs, 60), forbidden);
      await expectCode(a.presignedPutUrl(theirs, 60), forbidden);
      await expectCode(a.deletePrefix(tenantPrefix(orgB)), forbidden);
      await expectCode(collect(a.list(tenantPrefix(orgB))), forbidden);
      await expectCode(a.get('images/x.png'), forbidden);
      // An id that extends ours as a string is another tenant.
      await expectCode(a.get(`org/${orgA}x/images/x.png`), forbidden);
      // Crafted keys fail the grammar before the prefix check.
      await expectCode(
        a.get(`org/${orgA}/../${orgB}/images/x.png`),
        ObjectStoreErrorCode.INVALID_KEY,
      );
      await expectCode(a.get(`org/${orgA}/images/%2e%2e/x.png`), ObjectStoreErrorCode.INVALID_KEY);
      await expectCode(a.deletePrefix('org/'), forbidden);

      expect((await collect(a.list(''))).map((o) => o.key)).toEqual([mine]);
      expect(await a.get(mine)).toHaveLength(10);
      expect(await a.deletePrefix(a.prefix)).toBe(1);
      expect(await store.exists(theirs)).toBe(true);
    });
  });
}
