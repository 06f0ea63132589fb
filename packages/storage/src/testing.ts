import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { S3ObjectStoreConfig } from './s3-object-store.js';

/**
 * Test helpers (entry `@padim/storage/testing`; never imported by the main entry, since s3rver is a
 * dev dependency). Consumers need `s3rver` in their own devDependencies.
 */

/** The part of s3rver 3.7's API used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

/** s3rver's built-in credentials (it knows no others; it does not verify SigV4 signatures at all). */
export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';

export interface TestS3Server {
  /** Always 127.0.0.1. */
  readonly endpoint: string;
  readonly port: number;
  readonly useSSL: false;
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Created before the server answers. */
  readonly bucket: string;
  /** Where s3rver keeps the objects (removed by stop). */
  readonly directory: string;
  /** Ready-made config for `new S3ObjectStore(...)`. */
  readonly config: S3ObjectStoreConfig;
  /** Stops the server (dropping open connections) and removes its directory; idempotent. */
  stop(): Promise<void>;
}

export interface StartTestS3ServerOptions {
  /** Bucket created at start (default `padim-test`). */
  readonly bucket?: string;
  /** Port to listen on (default 0: a free port chosen by the OS, no race between tests). */
  readonly port?: number;
}

/**
 * Starts s3rver on 127.0.0.1 with a fresh temporary directory. s3rver implements single-part PUT,
 * GET, HEAD, DELETE, multi-object delete, ListObjectsV2 and presigned query auth (expiry checked,
 * SigV4 signature NOT verified); it lacks ListMultipartUploads, so `minio` multipart uploads fail:
 * always pass the size (S3ObjectStore does).
 */
export async function startTestS3Server(
  options: StartTestS3ServerOptions = {},
): Promise<TestS3Server> {
  const bucket = options.bucket ?? 'padim-test';
  const directory = await mkdtemp(join(tmpdir(), 'padim-s3rver-'));
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  if (server.httpServer) {
    // Longer than any client's idle-socket timeout, so a reused keep-alive socket is never closed
    // under a request (Node's defaults are 5 s on both sides: a flaky ECONNRESET).
    server.httpServer.keepAliveTimeout = 30_000;
  }
  const endpoint = '127.0.0.1';
  const port = address.port;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    useSSL: false,
    url: `http://${endpoint}:${port}`,
    accessKey: S3RVER_ACCESS_KEY,
    secretKey: S3RVER_SECRET_KEY,
    bucket,
    directory,
    config: {
      endpoint,
      port,
      useSSL: false,
      accessKey: S3RVER_ACCESS_KEY,
      secretKey: S3RVER_SECRET_KEY,
      bucket,
      region: 'us-east-1',
    },
    stop() {
      stopped ??= (async () => {
        const closing = server.close();
        server.httpServer?.closeAllConnections();
        await closing;
        await rm(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
