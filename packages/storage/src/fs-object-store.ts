import { createHash, randomUUID } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import {
  assertSigningSecret,
  signPresignedUrl,
  verifyPresignedUrl,
  type VerifiedPresign,
} from './fs-presign.js';
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

export interface FsObjectStoreConfig {
  /** Directory that holds the store (`objects/` and `tmp/` are created inside it by `open`). */
  readonly root: string;
  /**
   * Public origin (and optional path) of the API route that serves presigned URLs, e.g.
   * `http://localhost:3000/files`; URLs become `{baseUrl}/objects/{key}?...`.
   */
  readonly baseUrl?: string;
  /** HMAC key for presigned URLs (at least 32 bytes); required together with `baseUrl`. */
  readonly signingSecret?: string | Uint8Array;
  /** Clock used to date presigned URLs and to verify them (tests move it to check expiry). */
  readonly clock?: () => Date;
}

/*
 * On-disk format: objects/{key} holds the body followed by a trailer, so body and metadata are
 * replaced together by one atomic rename (a sidecar file could be seen half-updated):
 *
 *   body | JSON {v, contentType, etag, metadata} | uint32 BE JSON length | "PADIMOB1"
 */
const MAGIC = Buffer.from('PADIMOB1', 'ascii');
const TAIL_BYTES = 4 + MAGIC.length;
const MAX_TRAILER_JSON = 64 * 1024;

interface Trailer {
  readonly v: 1;
  readonly contentType: string;
  readonly etag: string;
  readonly metadata: Record<string, string>;
}

interface Opened {
  readonly handle: FileHandle;
  readonly size: number;
  readonly mtime: Date;
  readonly trailer: Trailer;
}

const UNAVAILABLE_ERRNOS = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'ESTALE',
]);

function errno(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code } = err as { code: unknown };
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function notFound(key: string, cause?: unknown): ObjectStoreError {
  return new ObjectStoreError(
    ObjectStoreErrorCode.NOT_FOUND,
    `object ${key} not found`,
    { key },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The object store of the embedded mode: a directory tree. Writes go to `tmp/` and are renamed into
 * place (atomic on one filesystem); presigned URLs are HMAC-signed URLs that the API serves with
 * `createPresignedObjectHandler`.
 *
 * A limitation S3 does not have: a key cannot also be a folder (`a/b` and `a/b/c` cannot both exist);
 * such a put fails with INVALID_KEY. Keys built with `tenantKey` from fixed shapes never collide.
 */
export class FsObjectStore implements ObjectStore {
  readonly root: string;
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private readonly clock: () => Date;

  constructor(private readonly config: FsObjectStoreConfig) {
    if (config.signingSecret !== undefined) assertSigningSecret(config.signingSecret);
    if (config.baseUrl !== undefined) {
      try {
        new URL(config.baseUrl);
      } catch (err) {
        throw new ObjectStoreError(
          ObjectStoreErrorCode.INVALID_ARGUMENT,
          `invalid baseUrl ${JSON.stringify(config.baseUrl)}`,
          {},
          { cause: err },
        );
      }
    }
    this.root = config.root;
    this.objectsDir = join(config.root, 'objects');
    this.tmpDir = join(config.root, 'tmp');
    this.clock = config.clock ?? (() => new Date());
  }

  /** Creates the store's directories (idempotent); the counterpart of S3's ensureBucket. */
  async ensureRoot(): Promise<void> {
    try {
      await mkdir(this.objectsDir, { recursive: true });
      await mkdir(this.tmpDir, { recursive: true });
    } catch (err) {
      throw this.mapError(err, this.root);
    }
  }

  /** Constructs a store and creates its directories. */
  static async open(config: FsObjectStoreConfig): Promise<FsObjectStore> {
    const store = new FsObjectStore(config);
    await store.ensureRoot();
    return store;
  }

  private pathOf(key: string): string {
    return join(this.objectsDir, ...key.split('/'));
  }

  private mapError(err: unknown, key: string): ObjectStoreError {
    if (err instanceof ObjectStoreError) return err;
    const code = errno(err);
    const details = { key, ...(code === undefined ? {} : { backendCode: code }) };
    const message = err instanceof Error ? err.message : String(err);
    if (code !== undefined && UNAVAILABLE_ERRNOS.has(code)) {
      return new ObjectStoreError(
        ObjectStoreErrorCode.UNAVAILABLE,
        `object store at ${this.root} unavailable: ${message}`,
        details,
        { cause: err },
      );
    }
    return new ObjectStoreError(
      ObjectStoreErrorCode.INTERNAL,
      `object ${key}: ${message}`,
      details,
      {
        cause: err,
      },
    );
  }

  /** A missing path means "no such object" only while the store itself is there. */
  private async missing(key: string, err: unknown): Promise<ObjectStoreError> {
    try {
      await stat(this.objectsDir);
    } catch {
      return new ObjectStoreError(
        ObjectStoreErrorCode.UNAVAILABLE,
        `object store at ${this.root} is gone (not mounted or not created: call ensureRoot)`,
        { key },
        { cause: err },
      );
    }
    return notFound(key, err);
  }

  /** Opens an object and reads its trailer; null when it does not exist. */
  private async openObject(key: string): Promise<Opened | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const mapped = await this.missing(key, err);
        if (mapped.code === ObjectStoreErrorCode.NOT_FOUND) return null;
        throw mapped;
      }
      throw this.mapError(err, key);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      const { trailer, jsonLength } = await readTrailer(handle, info.size, key);
      return {
        handle,
        size: info.size - jsonLength - TAIL_BYTES,
        mtime: info.mtime,
        trailer,
      };
    } catch (err) {
      await handle.close().catch(() => undefined);
      // Reading a directory (a key that is a folder of other keys) is "no such object".
      if (errno(err) === 'EISDIR') return null;
      throw this.mapError(err, key);
    }
  }

  async put(key: string, body: ObjectBody, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    assertPutOptions(options, key);
    const size = bodySize(body, key);
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    let handle: FileHandle;
    try {
      // 'wx' in tmp/: if the store root is gone this fails instead of silently recreating it.
      handle = await open(tmp, 'wx');
    } catch (err) {
      if (errno(err) === 'ENOENT') {
        throw new ObjectStoreError(
          ObjectStoreErrorCode.UNAVAILABLE,
          `object store at ${this.root} is gone (not mounted or not created: call ensureRoot)`,
          { key },
          { cause: err },
        );
      }
      throw this.mapError(err, key);
    }
    const md5 = createHash('md5');
    try {
      if (isSizedStream(body)) {
        const guard = new SizeGuard(size, key);
        body.stream.once('error', (err) => guard.destroy(err));
        for await (const chunk of body.stream.pipe(guard)) {
          const bytes = chunk as Buffer;
          md5.update(bytes);
          await handle.write(bytes);
        }
      } else {
        md5.update(body);
        await handle.write(toBuffer(body));
      }
      const trailer: Trailer = {
        v: 1,
        contentType: options.contentType,
        etag: md5.digest('hex'),
        metadata: { ...options.metadata },
      };
      const json = Buffer.from(JSON.stringify(trailer));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.length);
      await handle.write(Buffer.concat([json, length, MAGIC]));
      await handle.sync();
      await handle.close();
      await this.moveIntoPlace(tmp, key);
      return { etag: trailer.etag, size };
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw this.mapError(err, key);
    }
  }

  private async moveIntoPlace(tmp: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    // A concurrent delete may prune the freshly made parent folder before the rename: retry once.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
        return;
      } catch (err) {
        const code = errno(err);
        if (code === 'ENOENT' && attempt === 0) continue;
        if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
          throw new ObjectStoreError(
            ObjectStoreErrorCode.INVALID_KEY,
            `key ${key} collides with an existing object or folder (a key cannot also be a folder)`,
            { key, backendCode: code },
            { cause: err },
          );
        }
        throw err;
      }
    }
  }

  async get(key: string): Promise<Uint8Array> {
    assertValidKey(key);
    const opened = await this.openObject(key);
    if (opened === null) throw notFound(key);
    try {
      const bytes = new Uint8Array(opened.size);
      let offset = 0;
      while (offset < opened.size) {
        const { bytesRead } = await opened.handle.read(bytes, offset, opened.size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return bytes;
    } catch (err) {
      throw this.mapError(err, key);
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  }

  async getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    const opened = await this.openObject(key);
    if (opened === null) throw notFound(key);
    if (opened.size === 0) {
      await opened.handle.close();
      return Readable.from([]);
    }
    // Reading through the already-open handle: a concurrent replace or delete (a rename or unlink)
    // leaves this reader on the version it opened.
    const stream = opened.handle.createReadStream({
      start: 0,
      end: opened.size - 1,
      autoClose: true,
    });
    return stream;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    const opened = await this.openObject(key);
    if (opened === null) return null;
    await opened.handle.close().catch(() => undefined);
    return {
      size: opened.size,
      contentType: opened.trailer.contentType,
      etag: opened.trailer.etag,
      lastModified: opened.mtime,
      metadata: opened.trailer.metadata,
    };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
        const mapped = await this.missing(key, err);
        if (mapped.code === ObjectStoreErrorCode.NOT_FOUND) return;
        throw mapped;
      }
      throw this.mapError(err, key);
    }
    await this.pruneEmptyParents(dirname(this.pathOf(key)));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);
    const dir = this.pathOf(prefix.slice(0, -1));
    const trash = join(this.tmpDir, `${randomUUID()}.trash`);
    try {
      // One rename makes the whole folder vanish from readers at once; removal happens in tmp/.
      await rename(dir, trash);
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const mapped = await this.missing(prefix, err);
        if (mapped.code === ObjectStoreErrorCode.NOT_FOUND) return 0;
        throw mapped;
      }
      throw this.mapError(err, prefix);
    }
    try {
      const info = await stat(trash);
      // A plain object named like the prefix is not under the prefix: put it back.
      if (!info.isDirectory()) {
        await rename(trash, dir);
        return 0;
      }
      const count = await countFiles(trash);
      await rm(trash, { recursive: true, force: true });
      await this.pruneEmptyParents(dirname(dir));
      return count;
    } catch (err) {
      throw this.mapError(err, prefix);
    }
  }

  private async pruneEmptyParents(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.objectsDir) && current !== this.objectsDir) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop
      }
      current = dirname(current);
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertValidPrefix(prefix, true);
    try {
      await stat(this.objectsDir);
    } catch (err) {
      throw await this.missing(prefix, err);
    }
    const start = prefix === '' ? [] : prefix.slice(0, -1).split('/');
    yield* this.walk(start);
  }

  /** Depth-first in byte order of full keys: a folder `x` sorts as `x/` among its siblings. */
  private async *walk(parts: string[]): AsyncGenerator<ListedObject> {
    let entries;
    try {
      entries = await readdir(join(this.objectsDir, ...parts), { withFileTypes: true });
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw this.mapError(err, parts.join('/'));
    }
    const sorted = entries
      .filter((e) => e.isDirectory() || e.isFile())
      .map((e) => ({
        name: e.name,
        dir: e.isDirectory(),
        sortKey: e.isDirectory() ? `${e.name}/` : e.name,
      }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const entry of sorted) {
      const childParts = [...parts, entry.name];
      if (entry.dir) {
        yield* this.walk(childParts);
        continue;
      }
      const key = childParts.join('/');
      const opened = await this.openObject(key);
      if (opened === null) continue; // deleted since readdir
      await opened.handle.close().catch(() => undefined);
      yield { key, size: opened.size, etag: opened.trailer.etag, lastModified: opened.mtime };
    }
  }

  private presignConfig(): { baseUrl: string; secret: string | Uint8Array } {
    const { baseUrl, signingSecret } = this.config;
    if (baseUrl === undefined || signingSecret === undefined) {
      throw new ObjectStoreError(
        ObjectStoreErrorCode.INVALID_ARGUMENT,
        'presigned URLs of the filesystem store need baseUrl and signingSecret',
      );
    }
    return { baseUrl, secret: signingSecret };
  }

  async presignedGetUrl(key: string, expiresSeconds: number): Promise<string> {
    assertValidKey(key);
    assertExpiry(expiresSeconds);
    const { baseUrl, secret } = this.presignConfig();
    const expires = Math.floor(this.clock().getTime() / 1000) + expiresSeconds;
    return signPresignedUrl(baseUrl, secret, { method: 'GET', key, expires });
  }

  async presignedPutUrl(
    key: string,
    expiresSeconds: number,
    options: PresignPutOptions = {},
  ): Promise<PresignedPut> {
    assertValidKey(key);
    assertExpiry(expiresSeconds);
    assertPresignPutOptions(options);
    const { baseUrl, secret } = this.presignConfig();
    const expires = Math.floor(this.clock().getTime() / 1000) + expiresSeconds;
    const url = signPresignedUrl(baseUrl, secret, {
      method: 'PUT',
      key,
      expires,
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    return {
      url,
      method: 'PUT',
      headers: options.contentType === undefined ? {} : { 'content-type': options.contentType },
      expiresAt: new Date(expires * 1000),
      enforced: {
        contentType: options.contentType !== undefined,
        maxBytes: options.maxBytes !== undefined,
      },
    };
  }

  /**
   * Verifies a request against this store's presigned URLs (see `verifyPresignedUrl`). `url` is the
   * request's path and query (`req.originalUrl` under Express, `req.url` on a bare server).
   */
  verifyPresigned(method: string, url: string): VerifiedPresign {
    const { baseUrl, secret } = this.presignConfig();
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
    return verifyPresignedUrl({
      secret,
      method,
      url,
      pathPrefix: `${basePath}/objects/`,
      now: this.clock(),
    });
  }
}

async function readTrailer(
  handle: FileHandle,
  fileSize: number,
  key: string,
): Promise<{ trailer: Trailer; jsonLength: number }> {
  const corrupt = (why: string): ObjectStoreError =>
    new ObjectStoreError(ObjectStoreErrorCode.INTERNAL, `object ${key} is corrupt: ${why}`, {
      key,
    });
  if (fileSize < TAIL_BYTES) throw corrupt('too short');
  const tail = Buffer.alloc(TAIL_BYTES);
  await handle.read(tail, 0, TAIL_BYTES, fileSize - TAIL_BYTES);
  if (!tail.subarray(4).equals(MAGIC)) throw corrupt('no trailer');
  const jsonLength = tail.readUInt32BE(0);
  if (jsonLength > MAX_TRAILER_JSON || jsonLength > fileSize - TAIL_BYTES) {
    throw corrupt('bad trailer length');
  }
  const json = Buffer.alloc(jsonLength);
  await handle.read(json, 0, jsonLength, fileSize - TAIL_BYTES - jsonLength);
  try {
    const parsed = JSON.parse(json.toString('utf8')) as Trailer;
    if (
      parsed.v !== 1 ||
      typeof parsed.contentType !== 'string' ||
      typeof parsed.etag !== 'string'
    ) {
      throw new Error('unexpected fields');
    }
    return { trailer: parsed, jsonLength };
  } catch {
    throw corrupt('unreadable trailer');
  }
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += await countFiles(join(dir, entry.name));
    else if (entry.isFile()) count++;
  }
  return count;
}
