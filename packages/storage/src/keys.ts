import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';

/**
 * The key grammar shared by every backend: '/'-separated parts, each 1..200 characters from
 * [A-Za-z0-9._-], not starting with '.', so '.', '..' and hidden names cannot occur and a key maps
 * to the same path on S3 and on disk. No leading or trailing '/', no empty part, at most 1024 bytes.
 * The charset needs no URL encoding, which keeps presigned URLs and S3 signatures unambiguous.
 */
export const MAX_KEY_LENGTH = 1024;
export const MAX_PART_LENGTH = 200;
const PART_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The root folder of every tenant-owned object: `org/{organizationId}/...`. */
export const TENANT_ROOT = 'org';

function invalid(key: string, why: string): ObjectStoreError {
  return new ObjectStoreError(
    ObjectStoreErrorCode.INVALID_KEY,
    `invalid object key ${JSON.stringify(key)}: ${why}`,
    { key },
  );
}

function checkPart(whole: string, part: string): void {
  if (part.length === 0) throw invalid(whole, 'empty part');
  if (part.length > MAX_PART_LENGTH) throw invalid(whole, `part longer than ${MAX_PART_LENGTH}`);
  if (!PART_PATTERN.test(part)) {
    throw invalid(
      whole,
      `part ${JSON.stringify(part)} must use [A-Za-z0-9._-] and not start with '.'`,
    );
  }
}

/** Throws INVALID_KEY unless `key` is a valid object key (see the grammar above). */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw invalid(String(key), 'empty key');
  if (key.length > MAX_KEY_LENGTH) throw invalid(key, `longer than ${MAX_KEY_LENGTH}`);
  if (key.startsWith('/')) throw invalid(key, "leading '/'");
  if (key.endsWith('/')) throw invalid(key, "trailing '/' (that is a prefix, not a key)");
  for (const part of key.split('/')) checkPart(key, part);
}

/**
 * Throws INVALID_KEY unless `prefix` is a folder prefix: valid key parts followed by '/'
 * (`org/abc/datasets/`). Partial parts (`org/ab`) are refused on purpose: as a raw string prefix
 * `org/1` would also match `org/10/...`, which turns a tenant cascade into a cross-tenant delete.
 * The empty prefix (everything) is accepted only when `allowEmpty` is set (list, never delete).
 */
export function assertValidPrefix(prefix: string, allowEmpty = false): void {
  if (prefix === '' && allowEmpty) return;
  if (typeof prefix !== 'string' || prefix.length === 0)
    throw invalid(String(prefix), 'empty prefix');
  if (prefix.length > MAX_KEY_LENGTH) throw invalid(prefix, `longer than ${MAX_KEY_LENGTH}`);
  if (!prefix.endsWith('/')) throw invalid(prefix, "a prefix must end with '/'");
  if (prefix.startsWith('/')) throw invalid(prefix, "leading '/'");
  for (const part of prefix.slice(0, -1).split('/')) checkPart(prefix, part);
}

function joinParts(parts: readonly string[]): string {
  for (const part of parts) {
    if (typeof part !== 'string') throw invalid(String(part), 'parts must be strings');
    // Each argument is exactly one part: a '/' inside one would let a caller smuggle levels in.
    if (part.includes('/')) throw invalid(part, "a part may not contain '/'");
    checkPart(parts.join('/'), part);
  }
  return parts.join('/');
}

/** `key(...parts)`: joins and validates parts into a key (each argument is one part). */
export function objectKey(...parts: [string, ...string[]]): string {
  const key = joinParts(parts);
  assertValidKey(key);
  return key;
}

/**
 * The key of a tenant-owned object: `org/{organizationId}/{parts...}`. Every part (the id included)
 * is validated on its own, so no argument can contain '/', '..', or characters outside the charset.
 */
export function tenantKey(organizationId: string, ...parts: [string, ...string[]]): string {
  return objectKey(TENANT_ROOT, organizationId, ...parts);
}

/** The folder prefix of a tenant, or of a folder inside it: `org/{organizationId}/{parts...}/`. */
export function tenantPrefix(organizationId: string, ...parts: string[]): string {
  const prefix = `${joinParts([TENANT_ROOT, organizationId, ...parts])}/`;
  assertValidPrefix(prefix);
  return prefix;
}
