export { ObjectStoreError, ObjectStoreErrorCode, isObjectStoreError } from './errors.js';
export type { ObjectStoreErrorDetails } from './errors.js';
export type {
  ListedObject,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PresignPutOptions,
  PresignedPut,
  PutOptions,
  PutResult,
  SizedStream,
} from './object-store.js';
export {
  MAX_KEY_LENGTH,
  MAX_PART_LENGTH,
  TENANT_ROOT,
  assertValidKey,
  assertValidPrefix,
  objectKey,
  tenantKey,
  tenantPrefix,
} from './keys.js';
export {
  MAX_METADATA_BYTES,
  MAX_PRESIGN_EXPIRY_SECONDS,
  MAX_SINGLE_PUT_BYTES,
} from './validate.js';
export { S3ObjectStore, mapS3Error } from './s3-object-store.js';
export type { S3ObjectStoreConfig } from './s3-object-store.js';
export { FsObjectStore } from './fs-object-store.js';
export type { FsObjectStoreConfig } from './fs-object-store.js';
export {
  MIN_SECRET_BYTES,
  PRESIGN_VERSION,
  signPresignedUrl,
  verifyPresignedUrl,
} from './fs-presign.js';
export type {
  PresignClaims,
  PresignMethod,
  VerifiedPresign,
  VerifyPresignedOptions,
} from './fs-presign.js';
export { createPresignedObjectHandler, httpStatusOf } from './presigned-handler.js';
export { TenantObjectStore } from './tenant-object-store.js';
export { checkUploadedObject } from './check-upload.js';
