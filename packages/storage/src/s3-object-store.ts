import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { PassThrough, type Readable } from 'node:stream';

import { Client, S3Error } from 'minio';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import type {
  ListedObject,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PresignPutOptions,
  PresignedPut,
  PutOptions,
  PutResult,
} from './object-store.js';
import {
  SizeGuard,
  assertExpiry,
  assertPresignPutOptions,
  assertPutOptions,
  bodySize,
  isSizedStream,
} from './validate.js';

export interface S3ObjectStoreConfig {
  /** Host name or IP of the S3 server (MinIO), without scheme or port. */
  readonly endpoint: string;
  readonly port?: number;
  readonly useSSL?: boolean;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  /** Region used for signing; set so the client never asks the server (default us-east-1). */
  readonly region?: string;
  /**
   * Objects up to this size go in one PUT (default 64 MiB, the `minio` default); larger ones use
   * multipart, which MinIO and S3 support and s3rver does not. Range: 5 MiB .. 5 GiB.
   */
  readonly partSize?: number;
  /**
   * Origin that browsers use to reach the server, when it differs from `endpoint` (MinIO behind a
   * proxy, or `minio:9000` inside a container network). Presigned URLs are signed for this host.
   */
  readonly publicUrl?: string;
  /** Clock used to date presigned URLs (tests move it to check expiry). */
  readonly clock?: () => Date;
}

const DEFAULT_REGION = 'us-east-1';
/**
 * Idle keep-alive sockets are dropped after this long. `minio` otherwise uses Node's global agent,
 * whose 5 s idle timeout equals the server default of Node-based servers (s3rver): a request sent
 * on a socket the server is closing at that moment fails with ECONNRESET. Closing first avoids it.
 */
const IDLE_SOCKET_MS = 2_000;
const DELETE_ATTEMPTS = 4;

function agentFor(useSSL: boolean): HttpAgent {
  const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: 64 };
  return useSSL ? new HttpsAgent(options) : new HttpAgent(options);
}

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound']);
const FORBIDDEN_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
]);
const UNAVAILABLE_S3_CODES = new Set([
  'NoSuchBucket',
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
  'RequestTimeout',
  'XMinioServerNotInitialized',
  'XMinioStorageFull',
]);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code } = err as { code: unknown };
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Translates whatever `minio` or the socket threw into an ObjectStoreError (never rethrows raw). */
export function mapS3Error(err: unknown, key?: string): ObjectStoreError {
  if (err instanceof ObjectStoreError) return err;
  const backendCode = errorCode(err);
  const details = {
    ...(key === undefined ? {} : { key }),
    ...(backendCode ? { backendCode } : {}),
  };
  const what = key === undefined ? 'S3' : `S3 object ${key}`;
  const message = err instanceof Error ? err.message : String(err);
  const make = (code: ObjectStoreErrorCode, text: string): ObjectStoreError =>
    new ObjectStoreError(code, text, details, { cause: err });

  if (err instanceof S3Error) {
    if (backendCode !== undefined && NOT_FOUND_CODES.has(backendCode)) {
      return make(ObjectStoreErrorCode.NOT_FOUND, `${what}: not found`);
    }
    if (backendCode !== undefined && FORBIDDEN_CODES.has(backendCode)) {
      return make(ObjectStoreErrorCode.FORBIDDEN, `${what}: access denied (${backendCode})`);
    }
    if (
      (backendCode !== undefined && UNAVAILABLE_S3_CODES.has(backendCode)) ||
      // HEAD errors have no body: minio reports a 5xx as UnknownError with the status as message.
      (backendCode === 'UnknownError' && /^5\d\d$/.test(message))
    ) {
      return make(ObjectStoreErrorCode.UNAVAILABLE, `${what}: server unavailable (${backendCode})`);
    }
    return make(ObjectStoreErrorCode.INTERNAL, `${what}: ${backendCode ?? 'error'}: ${message}`);
  }
  if (backendCode !== undefined && UNAVAILABLE_ERRNOS.has(backendCode)) {
    return make(ObjectStoreErrorCode.UNAVAILABLE, `${what}: server unreachable (${backendCode})`);
  }
  return make(ObjectStoreErrorCode.INTERNAL, `${what}: ${message}`);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function stripQuotes(etag: string): string {
  return etag.replace(/^"+|"+$/g, '');
}

// Names minio's extractMetadata returns that are headers, not user metadata (see validate.ts).
const NON_USER_METADATA = new Set([
  'content-type',
  'cache-control',
  'content-encoding',
  'content-disposition',
  'content-language',
  'x-amz-website-redirect-location',
  'x-amz-storage-class',
]);

function userMetadata(metaData: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metaData)) {
    const lower = name.toLowerCase();
    if (NON_USER_METADATA.has(lower) || lower.startsWith('x-amz-')) continue;
    if (typeof value === 'string') out[lower] = value;
  }
  return out;
}

/**
 * The object store on an S3 API server (MinIO in production, s3rver in tests) through the `minio`
 * client. Puts always pass the exact size, so bodies up to `partSize` go in one PUT.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: Client;
  private readonly presignClient: Client;
  private readonly clock: () => Date;

  constructor(config: S3ObjectStoreConfig) {
    const region = config.region ?? DEFAULT_REGION;
    const common = {
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region,
      // Path-style addressing: MinIO and s3rver do not resolve bucket sub-domains.
      pathStyle: true,
      ...(config.partSize === undefined ? {} : { partSize: config.partSize }),
    };
    try {
      const useSSL = config.useSSL ?? false;
      this.client = new Client({
        ...common,
        endPoint: config.endpoint,
        useSSL,
        transportAgent: agentFor(useSSL),
        ...(config.port === undefined ? {} : { port: config.port }),
      });
      if (config.publicUrl === undefined) {
        this.presignClient = this.client;
      } else {
        const url = new URL(config.publicUrl);
        const useSSL = url.protocol === 'https:';
        this.presignClient = new Client({
          ...common,
          endPoint: url.hostname,
          useSSL,
          port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
        });
      }
    } catch (err) {
      throw new ObjectStoreError(
        ObjectStoreErrorCode.INVALID_ARGUMENT,
        `invalid S3 configuration: ${err instanceof Error ? err.message : String(err)}`,
        {},
        { cause: err },
      );
    }
    this.bucket = config.bucket;
    this.clock = config.clock ?? (() => new Date());
  }

  /** Creates the bucket when it does not exist (idempotent; safe to race with another process). */
  async ensureBucket(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'BucketAlreadyOwnedByYou' || code === 'BucketAlreadyExists') return;
      throw mapS3Error(err);
    }
  }

  async put(key: string, body: ObjectBody, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    assertPutOptions(options, key);
    const size = bodySize(body, key);
    let source: Readable | Buffer;
    if (isSizedStream(body)) {
      const guard = new SizeGuard(size, key);
      // pipe() does not forward source errors: forward them so the upload fails instead of hanging.
      body.stream.once('error', (err) => guard.destroy(err));
      source = body.stream.pipe(guard);
    } else {
      source = toBuffer(body);
    }
    try {
      const result = await this.client.putObject(this.bucket, key, source, size, {
        'Content-Type': options.contentType,
        ...options.metadata,
      });
      return { etag: stripQuotes(result.etag), size };
    } catch (err) {
      throw mapS3Error(err, key);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const stream = await this.getStream(key);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (err) {
      throw mapS3Error(err, key);
    }
    const joined = Buffer.concat(chunks);
    return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
  }

  async getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    let stream: Readable;
    try {
      stream = await this.client.getObject(this.bucket, key);
    } catch (err) {
      throw mapS3Error(err, key);
    }
    // Errors after the headers (a dropped connection) surface on the stream: translate them too.
    const out = new PassThrough();
    stream.once('error', (err) => out.destroy(mapS3Error(err, key)));
    out.once('close', () => stream.destroy());
    return stream.pipe(out);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const meta = stat.metaData as Record<string, unknown>;
      const contentType = meta['content-type'];
      return {
        size: stat.size,
        contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream',
        etag: stripQuotes(stat.etag),
        lastModified: stat.lastModified,
        metadata: userMetadata(meta),
      };
    } catch (err) {
      const mapped = mapS3Error(err, key);
      if (mapped.code === ObjectStoreErrorCode.NOT_FOUND) return null;
      throw mapped;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (err) {
      const mapped = mapS3Error(err, key);
      if (mapped.code !== ObjectStoreErrorCode.NOT_FOUND) throw mapped;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);
    // One multi-object delete per 1000 keys (the S3 limit); keys are listed first so deleting
    // never races the listing's pagination.
    const keys: string[] = [];
    for await (const item of this.list(prefix)) keys.push(item.key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const results = await this.removeBatch(batch, prefix);
      const failed = results.find((r) => r?.Error !== undefined);
      if (failed?.Error) {
        throw new ObjectStoreError(
          ObjectStoreErrorCode.INTERNAL,
          `S3 delete of ${failed.Error.Key ?? prefix} failed: ${failed.Error.Code ?? 'error'} ${failed.Error.Message ?? ''}`,
          {
            key: failed.Error.Key ?? prefix,
            ...(failed.Error.Code ? { backendCode: failed.Error.Code } : {}),
          },
        );
      }
    }
    return keys.length;
  }

  /**
   * One multi-object delete, retried on UNAVAILABLE (S3 asks clients to retry InternalError and
   * SlowDown; deleting is idempotent). s3rver needs it too: it deletes a batch's keys concurrently and
   * its pruning of empty folders races, answering InternalError now and then.
   */
  private async removeBatch(batch: string[], prefix: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.removeObjects(this.bucket, batch);
      } catch (err) {
        const mapped = mapS3Error(err, prefix);
        if (mapped.code !== ObjectStoreErrorCode.UNAVAILABLE || attempt >= DELETE_ATTEMPTS)
          throw mapped;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertValidPrefix(prefix, true);
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        if (item.name === undefined) continue;
        yield {
          key: item.name,
          size: item.size,
          etag: stripQuotes(item.etag),
          lastModified: item.lastModified,
        };
      }
    } catch (err) {
      throw mapS3Error(err, prefix);
    }
  }

  async presignedGetUrl(key: string, expiresSeconds: number): Promise<string> {
    assertValidKey(key);
    assertExpiry(expiresSeconds);
    try {
      return await this.presignClient.presignedGetObject(
        this.bucket,
        key,
        expiresSeconds,
        {},
        this.clock(),
      );
    } catch (err) {
      throw mapS3Error(err, key);
    }
  }

  async presignedPutUrl(
    key: string,
    expiresSeconds: number,
    options: PresignPutOptions = {},
  ): Promise<PresignedPut> {
    assertValidKey(key);
    assertExpiry(expiresSeconds);
    assertPresignPutOptions(options);
    const now = this.clock();
    try {
      const url = await this.presignClient.presignedUrl(
        'PUT',
        this.bucket,
        key,
        expiresSeconds,
        {},
        now,
      );
      return {
        url,
        method: 'PUT',
        headers: options.contentType === undefined ? {} : { 'content-type': options.contentType },
        expiresAt: new Date(now.getTime() + expiresSeconds * 1000),
        // SigV4 query signing as minio does it signs only the host header: see PresignedPut.
        enforced: { contentType: false, maxBytes: false },
      };
    } catch (err) {
      throw mapS3Error(err, key);
    }
  }
}
