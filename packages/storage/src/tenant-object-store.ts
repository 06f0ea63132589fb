import type { Readable } from 'node:stream';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import { assertValidKey, assertValidPrefix, tenantKey, tenantPrefix } from './keys.js';
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

/**
 * An ObjectStore scoped to one organization: every key and prefix must lie under
 * `org/{organizationId}/`, otherwise FORBIDDEN (after the INVALID_KEY grammar check, which already
 * rules out '..' and the like, so a plain prefix comparison is sound). Request-scoped code receives
 * this, never the raw store, so a key taken from user input cannot reach another tenant's objects.
 * Keys stay full keys (`org/{id}/...`), the same strings that database rows store.
 */
export class TenantObjectStore implements ObjectStore {
  /** `org/{organizationId}/` */
  readonly prefix: string;

  constructor(
    private readonly inner: ObjectStore,
    readonly organizationId: string,
  ) {
    this.prefix = tenantPrefix(organizationId);
  }

  /** `org/{organizationId}/{parts...}`, validated part by part. */
  key(...parts: [string, ...string[]]): string {
    return tenantKey(this.organizationId, ...parts);
  }

  private own(key: string): string {
    assertValidKey(key);
    if (!key.startsWith(this.prefix)) {
      throw new ObjectStoreError(
        ObjectStoreErrorCode.FORBIDDEN,
        `key ${key} lies outside organization ${this.organizationId}`,
        { key },
      );
    }
    return key;
  }

  private ownPrefix(prefix: string): string {
    assertValidPrefix(prefix);
    if (!prefix.startsWith(this.prefix)) {
      throw new ObjectStoreError(
        ObjectStoreErrorCode.FORBIDDEN,
        `prefix ${prefix} lies outside organization ${this.organizationId}`,
        { key: prefix },
      );
    }
    return prefix;
  }

  async put(key: string, body: ObjectBody, options: PutOptions): Promise<PutResult> {
    return this.inner.put(this.own(key), body, options);
  }

  async get(key: string): Promise<Uint8Array> {
    return this.inner.get(this.own(key));
  }

  async getStream(key: string): Promise<Readable> {
    return this.inner.getStream(this.own(key));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return this.inner.head(this.own(key));
  }

  async exists(key: string): Promise<boolean> {
    return this.inner.exists(this.own(key));
  }

  async delete(key: string): Promise<void> {
    return this.inner.delete(this.own(key));
  }

  /** Accepts the tenant's own prefix itself (deleting an organization) or any folder inside it. */
  async deletePrefix(prefix: string): Promise<number> {
    return this.inner.deletePrefix(this.ownPrefix(prefix));
  }

  /** '' lists the whole tenant (not the whole store). */
  async *list(prefix: string): AsyncIterable<ListedObject> {
    yield* this.inner.list(prefix === '' ? this.prefix : this.ownPrefix(prefix));
  }

  async presignedGetUrl(key: string, expiresSeconds: number): Promise<string> {
    return this.inner.presignedGetUrl(this.own(key), expiresSeconds);
  }

  async presignedPutUrl(
    key: string,
    expiresSeconds: number,
    options?: PresignPutOptions,
  ): Promise<PresignedPut> {
    return this.inner.presignedPutUrl(this.own(key), expiresSeconds, options);
  }
}
