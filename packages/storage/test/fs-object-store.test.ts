import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  FsObjectStore,
  ObjectStoreErrorCode,
  createPresignedObjectHandler,
  tenantKey,
  verifyPresignedUrl,
  type FsObjectStoreConfig,
} from '../src/index.js';
import { describeObjectStoreContract, expectCode } from './helpers/contract.js';
import { bytes, chunked, newOrgId, sameBytes } from './helpers/data.js';

const SECRET = randomBytes(32);

interface FsFixture {
  readonly config: FsObjectStoreConfig;
  readonly store: FsObjectStore;
  readonly server: Server;
  close(): Promise<void>;
}

/** An FsObjectStore in a temp directory with its presigned route on a loopback HTTP server. */
async function startFsFixture(): Promise<FsFixture> {
  const root = await mkdtemp(join(tmpdir(), 'padim-fs-store-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config: FsObjectStoreConfig = {
    root,
    baseUrl: `http://127.0.0.1:${port}/files`,
    signingSecret: SECRET,
  };
  const store = await FsObjectStore.open(config);
  const handler = createPresignedObjectHandler(store);
  server.on('request', (req, res) => void handler(req, res));
  return {
    config,
    store,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

describeObjectStoreContract('FsObjectStore', async () => {
  const fixture = await startFsFixture();
  return {
    store: fixture.store,
    withClock: (clock) => new FsObjectStore({ ...fixture.config, clock }),
    enforcesPutLimits: true,
    verifiesSignatures: true,
    teardown: () => fixture.close(),
  };
});

describe('FsObjectStore specifics', () => {
  let fixture: FsFixture;
  beforeAll(async () => {
    fixture = await startFsFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('keeps the old version when a replacing put fails, and leaves no temp files', async () => {
    const { store, config } = fixture;
    const key = tenantKey(newOrgId(), 'a.bin');
    const first = bytes(100);
    await store.put(key, first, { contentType: 'text/plain' });
    await expectCode(
      store.put(key, { stream: chunked(bytes(100)), size: 101 }, { contentType: 'text/plain' }),
      ObjectStoreErrorCode.SIZE_MISMATCH,
    );
    expect(sameBytes(await store.get(key), first)).toBe(true);
    expect(await readdir(join(config.root, 'tmp'))).toEqual([]);
  });

  it('refuses a key that is also a folder with INVALID_KEY', async () => {
    const org = newOrgId();
    await fixture.store.put(tenantKey(org, 'a', 'b'), bytes(1), { contentType: 'text/plain' });
    await expectCode(
      fixture.store.put(tenantKey(org, 'a'), bytes(1), { contentType: 'text/plain' }),
      ObjectStoreErrorCode.INVALID_KEY,
    );
    await expectCode(
      fixture.store.put(tenantKey(org, 'a', 'b', 'c'), bytes(1), { contentType: 'text/plain' }),
      ObjectStoreErrorCode.INVALID_KEY,
    );
    // A folder is not an object.
    expect(await fixture.store.head(tenantKey(org, 'a'))).toBeNull();
  });

  it('prunes empty folders after deletes', async () => {
    const org = newOrgId();
    const key = tenantKey(org, 'deep', 'er', 'x.bin');
    await fixture.store.put(key, bytes(1), { contentType: 'text/plain' });
    await fixture.store.delete(key);
    expect(await readdir(join(fixture.config.root, 'objects', 'org'))).not.toContain(org);
  });

  it('answers UNAVAILABLE when the store root is gone (unmounted volume)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'padim-fs-gone-'));
    const store = await FsObjectStore.open({ root });
    const key = tenantKey(newOrgId(), 'x.bin');
    await store.put(key, bytes(3), { contentType: 'text/plain' });
    await rm(root, { recursive: true, force: true });
    const unavailable = ObjectStoreErrorCode.UNAVAILABLE;
    await expectCode(store.get(key), unavailable);
    await expectCode(store.head(key), unavailable);
    await expectCode(store.put(key, bytes(3), { contentType: 'text/plain' }), unavailable);
    await expectCode(store.delete(key), unavailable);
    await expectCode(store.deletePrefix(`org/`), unavailable);
    const listing = async (): Promise<void> => {
      for await (const _ of store.list('')) void _;
    };
    await expectCode(listing(), unavailable);
  });

  it('needs baseUrl and a 32-byte secret for presigned URLs', async () => {
    const store = new FsObjectStore({ root: fixture.config.root });
    await expectCode(store.presignedGetUrl('a/b', 60), ObjectStoreErrorCode.INVALID_ARGUMENT);
    expect(() => new FsObjectStore({ root: 'x', signingSecret: 'short' })).toThrow(
      expect.objectContaining({ code: ObjectStoreErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('signs method, key, expiry, content type and size into presigned URLs', async () => {
    const { store } = fixture;
    const key = tenantKey(newOrgId(), 'u.png');
    const put = await store.presignedPutUrl(key, 60, { contentType: 'image/png', maxBytes: 10 });
    const url = new URL(put.url);
    expect(url.pathname).toBe(`/files/objects/${key}`);
    const path = `${url.pathname}${url.search}`;
    const verify = (method: string, u: string, now = new Date()) =>
      verifyPresignedUrl({ secret: SECRET, method, url: u, pathPrefix: '/files/objects/', now });

    expect(verify('PUT', path)).toMatchObject({
      key,
      method: 'PUT',
      contentType: 'image/png',
      maxBytes: 10,
    });
    const forbidden = expect.objectContaining({ code: ObjectStoreErrorCode.FORBIDDEN });
    expect(() => verify('GET', path)).toThrow(forbidden);
    expect(() => verify('DELETE', path)).toThrow(forbidden);
    expect(() => verify('PUT', path.replace('max=10', 'max=99999'))).toThrow(forbidden);
    expect(() => verify('PUT', path.replace('image%2Fpng', 'text%2Fhtml'))).toThrow(forbidden);
    expect(() => verify('PUT', path.replace(/sig=[^&]+/, 'sig=AAAA'))).toThrow(forbidden);
    expect(() => verify('PUT', path.replace(/&sig=[^&]+/, ''))).toThrow(forbidden);
    expect(() => verify('PUT', path, new Date(Date.now() + 120_000))).toThrow(
      expect.objectContaining({ code: ObjectStoreErrorCode.EXPIRED }),
    );
  });

  it('asks presigned uploads for a Content-Length (411)', async () => {
    const { store, server } = fixture;
    const put = await store.presignedPutUrl(tenantKey(newOrgId(), 'c.bin'), 60);
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(put.url);
      const req = request(
        { host: '127.0.0.1', port, method: 'PUT', path: `${url.pathname}${url.search}` },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('chunked body'); // no Content-Length: Node sends Transfer-Encoding: chunked
      req.end();
    });
    expect(status).toBe(411);
  });
});
