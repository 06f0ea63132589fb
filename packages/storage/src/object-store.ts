import type { Readable } from 'node:stream';

/** A stream body with its exact byte length, required so that S3 puts stay single-part. */
export interface SizedStream {
  readonly stream: Readable;
  /** Exact number of bytes the stream yields; a different count fails with SIZE_MISMATCH. */
  readonly size: number;
}

/** What `put` stores: bytes in memory, or a stream whose size is known up front. */
export type ObjectBody = Uint8Array | SizedStream;

export interface PutOptions {
  /** MIME type stored with the object and returned by head/get URLs (`image/png`, ...). */
  readonly contentType: string;
  /**
   * User metadata (S3 `x-amz-meta-*`). Keys: lowercase `[a-z0-9-]`, values printable ASCII
   * (they travel as HTTP headers); 2 KiB in all.
   */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface PutResult {
  /** The backend's entity tag (MD5 hex of the body for single-part S3 puts and the fs store). */
  readonly etag: string;
  readonly size: number;
}

export interface ObjectInfo {
  readonly size: number;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
}

export interface PresignPutOptions {
  /** The Content-Type the uploader must send. */
  readonly contentType?: string;
  /** The largest body the uploader may send. */
  readonly maxBytes?: number;
}

/**
 * A presigned upload: the uploader sends `PUT url` with `headers` and the body.
 *
 * What the URL can enforce differs by backend, and `enforced` says which limits the server itself
 * will check. S3 presigned PUT URLs (SigV4 query signing, as the `minio` client makes them) bind the
 * method, bucket, key and expiry only: the Content-Type and the body size are NOT signed, so a
 * holder of the URL may upload any type and any size up to 5 GiB. Callers that hand such URLs out
 * must check the object after upload (`checkUploadedObject`). The filesystem store signs the
 * content type and maxBytes into the URL and its route refuses violating uploads.
 */
export interface PresignedPut {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the uploader must send (the content type when one was given). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
  readonly enforced: { readonly contentType: boolean; readonly maxBytes: boolean };
}

/**
 * The object store every part of the platform uses: images, heatmaps, model statistics
 * (safetensors) and detector ONNX files. Keys follow the grammar of `assertValidKey`; tenant-owned
 * objects live under `org/{organizationId}/` (`tenantKey`), and request-scoped code should hold a
 * `TenantObjectStore`. Every method throws `ObjectStoreError` only.
 */
export interface ObjectStore {
  /** Stores (or replaces) an object atomically: readers see the old or the new body, never a mix. */
  put(key: string, body: ObjectBody, options: PutOptions): Promise<PutResult>;
  /** The whole body in memory. NOT_FOUND when missing. */
  get(key: string): Promise<Uint8Array>;
  /** The body as a stream. NOT_FOUND (thrown, not emitted) when missing. */
  getStream(key: string): Promise<Readable>;
  /** Size, type, etag and metadata, or null when missing. */
  head(key: string): Promise<ObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Removes an object; removing a missing object is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
  /**
   * Removes every object under a folder prefix (`org/abc/models/m1/`); returns how many were
   * removed. Used for cascades when rows are deleted. The empty prefix is refused.
   */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Every object under a folder prefix ('' for all), recursively. Order is not part of the
   * contract: S3/MinIO and the fs store yield byte order of keys, s3rver does not.
   */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** A URL that lets anyone GET the object until it expires (1 s .. 7 days). */
  presignedGetUrl(key: string, expiresSeconds: number): Promise<string>;
  /** A URL that lets anyone PUT the object until it expires; see `PresignedPut` for limits. */
  presignedPutUrl(
    key: string,
    expiresSeconds: number,
    options?: PresignPutOptions,
  ): Promise<PresignedPut>;
}
