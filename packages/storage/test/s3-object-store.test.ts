import { Readable } from 'node:stream';

import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ObjectStoreErrorCode,
  S3ObjectStore,
  mapS3Error,
  tenantKey,
  tenantPrefix,
} from '../src/index.js';
import { startTestS3Server, type TestS3Server } from '../src/testing.js';
import { describeObjectStoreContract, expectCode } from './helpers/contract.js';
import { bytes, chunked, collect, md5Hex, newOrgId } from './helpers/data.js';

describeObjectStoreContract('S3ObjectStore on s3rver', async () => {
  const server = await startTestS3Server();
  const store = new S3ObjectStore(server.config);
  await store.ensureBucket();
  return {
    store,
    withClock: (clock) => new S3ObjectStore({ ...server.config, clock }),
    enforcesPutLimits: false,
    verifiesSignatures: false,
    teardown: () => server.stop(),
  };
});

describe('S3ObjectStore specifics (s3rver)', () => {
  let server: TestS3Server;
  beforeAll(async () => {
    server = await startTestS3Server({ bucket: 'specifics' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts s3rver on loopback with a free port and a ready bucket', async () => {
    expect(server.endpoint).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    const client = new Client({
      endPoint: server.endpoint,
      port: server.port,
      useSSL: false,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
      region: 'us-east-1',
      pathStyle: true,
    });
    expect(await client.bucketExists(server.bucket)).toBe(true);
  });

  it('ensureBucket creates a missing bucket, idempotently', async () => {
    const store = new S3ObjectStore({ ...server.config, bucket: 'made-by-ensure' });
    await expectCode(
      store.put('a/b.txt', bytes(1), { contentType: 'text/plain' }),
      ObjectStoreErrorCode.UNAVAILABLE,
    );
    await store.ensureBucket();
    await store.ensureBucket();
    await store.put('a/b.txt', bytes(1), { contentType: 'text/plain' });
    expect(await store.exists('a/b.txt')).toBe(true);
  });

  it('s3rver lacks multipart: minio without a size fails, the store (size passed) does not', async () => {
    const client = new Client({
      endPoint: server.endpoint,
      port: server.port,
      useSSL: false,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
      region: 'us-east-1',
      pathStyle: true,
    });
    const data = bytes(6 * 1024 * 1024);
    // Unknown size: minio assumes the 5 TiB maximum and starts a multipart upload, whose first step
    // (ListMultipartUploads) s3rver answers NotImplemented.
    await expect(
      client.putObject(server.bucket, 'raw/unsized.bin', Readable.from([Buffer.from(data)])),
    ).rejects.toMatchObject({ code: 'NotImplemented' });

    const store = new S3ObjectStore(server.config);
    const key = tenantKey(newOrgId(), 'sized.bin');
    const put = await store.put(
      key,
      { stream: chunked(data), size: data.length },
      {
        contentType: 'application/octet-stream',
      },
    );
    expect(put.etag).toBe(md5Hex(data)); // single-part etag

    // Above partSize the store itself would go multipart: on s3rver that is a typed error.
    const small = new S3ObjectStore({ ...server.config, partSize: 5 * 1024 * 1024 });
    const err = await small
      .put(
        tenantKey(newOrgId(), 'big.bin'),
        { stream: chunked(data), size: data.length },
        {
          contentType: 'application/octet-stream',
        },
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ObjectStoreError', code: ObjectStoreErrorCode.INTERNAL });
  });

  it('signs presigned URLs for publicUrl when given', async () => {
    const store = new S3ObjectStore({ ...server.config, publicUrl: 'https://files.example.com' });
    const url = new URL(await store.presignedGetUrl(tenantKey(newOrgId(), 'x.png'), 60));
    expect(url.origin).toBe('https://files.example.com');
    expect(url.pathname).toMatch(/^\/specifics\/org\//);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('answers UNAVAILABLE on every method once the server is down', async () => {
    const own = await startTestS3Server();
    const store = new S3ObjectStore(own.config);
    const key = tenantKey(newOrgId(), 'x.bin');
    await store.put(key, bytes(10), { contentType: 'text/plain' });
    await own.stop();

    const unavailable = ObjectStoreErrorCode.UNAVAILABLE;
    await expectCode(store.put(key, bytes(10), { contentType: 'text/plain' }), unavailable);
    await expectCode(
      store.put(key, { stream: chunked(bytes(10)), size: 10 }, { contentType: 'text/plain' }),
      unavailable,
    );
    await expectCode(store.get(key), unavailable);
    await expectCode(store.getStream(key), unavailable);
    await expectCode(store.head(key), unavailable);
    await expectCode(store.exists(key), unavailable);
    await expectCode(store.delete(key), unavailable);
    await expectCode(store.deletePrefix(tenantPrefix('o1')), unavailable);
    await expectCode(collect(store.list('')), unavailable);
    await expectCode(store.ensureBucket(), unavailable);
    // Presigning is local computation: it still works (the URL will fail when used).
    await expect(store.presignedGetUrl(key, 60)).resolves.toContain(key);
  });

  it('maps client errors to codes and never passes them through raw', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(mapS3Error(refused, 'k')).toMatchObject({
      code: ObjectStoreErrorCode.UNAVAILABLE,
      details: { key: 'k' },
    });
    expect(mapS3Error(new Error('weird'))).toMatchObject({ code: ObjectStoreErrorCode.INTERNAL });
    expect(mapS3Error('string thrown')).toMatchObject({ code: ObjectStoreErrorCode.INTERNAL });
  });
});
