import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import type { ObjectInfo, ObjectStore, PresignPutOptions } from './object-store.js';

/**
 * Checks an object uploaded through a presigned PUT URL against the limits the URL could not
 * enforce (S3 signs neither Content-Type nor size): call it when the client reports the upload as
 * done. A violating object is deleted, then TOO_LARGE or INVALID_ARGUMENT is thrown; a missing one
 * is NOT_FOUND. Returns the object's info otherwise.
 */
export async function checkUploadedObject(
  store: ObjectStore,
  key: string,
  limits: PresignPutOptions,
): Promise<ObjectInfo> {
  const info = await store.head(key);
  if (info === null) {
    throw new ObjectStoreError(ObjectStoreErrorCode.NOT_FOUND, `object ${key} was not uploaded`, {
      key,
    });
  }
  if (limits.maxBytes !== undefined && info.size > limits.maxBytes) {
    await store.delete(key);
    throw new ObjectStoreError(
      ObjectStoreErrorCode.TOO_LARGE,
      `uploaded object ${key} has ${info.size} bytes, more than the allowed ${limits.maxBytes}; deleted`,
      { key },
    );
  }
  if (limits.contentType !== undefined && info.contentType !== limits.contentType) {
    await store.delete(key);
    throw new ObjectStoreError(
      ObjectStoreErrorCode.INVALID_ARGUMENT,
      `uploaded object ${key} has type ${info.contentType}, not ${limits.contentType}; deleted`,
      { key },
    );
  }
  return info;
}
