import { createHmac, timingSafeEqual } from 'node:crypto';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import { assertValidKey } from './keys.js';

/**
 * Presigned URLs of the filesystem store (embedded mode), served by the API itself:
 *
 *   GET {baseUrl}/objects/{key}?expires={unixSeconds}&sig={signature}
 *   PUT {baseUrl}/objects/{key}?expires={unixSeconds}[&ct={contentType}][&max={maxBytes}]&sig={signature}
 *
 * signature = base64url(HMAC-SHA256(secret, "padim-presign-v1\n{METHOD}\n{key}\n{expires}\n{ct}\n{max}"))
 * with empty strings for absent ct/max. The HTTP method is part of the signed text, so a GET URL
 * cannot be replayed as a PUT; ct and max are signed, so the uploader cannot loosen them. Keys use a
 * charset that needs no URL encoding, so the key in the path is exactly the signed key.
 */
export const PRESIGN_VERSION = 'padim-presign-v1';
/** Secrets shorter than this are refused: the HMAC key is the only thing guarding the URLs. */
export const MIN_SECRET_BYTES = 32;

export type PresignMethod = 'GET' | 'PUT';

export interface PresignClaims {
  readonly method: PresignMethod;
  readonly key: string;
  /** Expiry, seconds since the epoch. */
  readonly expires: number;
  readonly contentType?: string;
  readonly maxBytes?: number;
}

export interface VerifiedPresign extends PresignClaims {
  readonly expiresAt: Date;
}

export function assertSigningSecret(secret: string | Uint8Array): void {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength;
  if (bytes < MIN_SECRET_BYTES) {
    throw new ObjectStoreError(
      ObjectStoreErrorCode.INVALID_ARGUMENT,
      `the presign secret must have at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
}

function signature(secret: string | Uint8Array, claims: PresignClaims): string {
  const text = [
    PRESIGN_VERSION,
    claims.method,
    claims.key,
    String(claims.expires),
    claims.contentType ?? '',
    claims.maxBytes === undefined ? '' : String(claims.maxBytes),
  ].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Builds a presigned URL for the claims (see the scheme above). */
export function signPresignedUrl(
  baseUrl: string,
  secret: string | Uint8Array,
  claims: PresignClaims,
): string {
  const query = new URLSearchParams({ expires: String(claims.expires) });
  if (claims.contentType !== undefined) query.set('ct', claims.contentType);
  if (claims.maxBytes !== undefined) query.set('max', String(claims.maxBytes));
  query.set('sig', signature(secret, claims));
  return `${trimSlash(baseUrl)}/objects/${claims.key}?${query.toString()}`;
}

export interface VerifyPresignedOptions {
  readonly secret: string | Uint8Array;
  /** The request method (GET or PUT; anything else is FORBIDDEN). */
  readonly method: string;
  /**
   * The request URL: absolute, or the path and query as in `req.url` (`/objects/org/a/b?...`;
   * under Express use `req.originalUrl`).
   */
  readonly url: string;
  /** Path under which the route is mounted (the path of baseUrl + '/objects/'); default '/objects/'. */
  readonly pathPrefix?: string;
  /** Current time (tests). */
  readonly now?: Date;
}

function forbidden(message: string, key?: string): ObjectStoreError {
  return new ObjectStoreError(
    ObjectStoreErrorCode.FORBIDDEN,
    message,
    key === undefined ? {} : { key },
  );
}

/**
 * Checks a presigned request and returns what it grants. Throws FORBIDDEN for a missing, malformed
 * or wrong signature (or a method other than GET/PUT), INVALID_KEY for a bad key and EXPIRED once
 * the expiry has passed; the signature is checked before the expiry, so forged URLs never learn
 * more than FORBIDDEN.
 */
export function verifyPresignedUrl(options: VerifyPresignedOptions): VerifiedPresign {
  const method = options.method.toUpperCase();
  if (method !== 'GET' && method !== 'PUT') {
    throw forbidden(`presigned URLs allow GET and PUT only, not ${options.method}`);
  }
  const url = new URL(options.url, 'http://presign.invalid');
  const pathPrefix = options.pathPrefix ?? '/objects/';
  if (!url.pathname.startsWith(pathPrefix)) {
    throw forbidden(`presigned URL path must start with ${pathPrefix}`);
  }
  const key = url.pathname.slice(pathPrefix.length);
  assertValidKey(key);

  const query = url.searchParams;
  const expiresText = query.get('expires');
  const sig = query.get('sig');
  const ct = query.get('ct');
  const maxText = query.get('max');
  if (expiresText === null || !/^\d{1,12}$/.test(expiresText) || sig === null) {
    throw forbidden('presigned URL lacks a valid expires or sig parameter', key);
  }
  if (maxText !== null && !/^\d{1,15}$/.test(maxText)) {
    throw forbidden('presigned URL has a malformed max parameter', key);
  }
  const claims: PresignClaims = {
    method,
    key,
    expires: Number(expiresText),
    ...(ct === null ? {} : { contentType: ct }),
    ...(maxText === null ? {} : { maxBytes: Number(maxText) }),
  };
  const expected = Buffer.from(signature(options.secret, claims));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw forbidden('presigned URL signature does not match', key);
  }
  const now = options.now ?? new Date();
  if (now.getTime() > claims.expires * 1000) {
    throw new ObjectStoreError(
      ObjectStoreErrorCode.EXPIRED,
      `presigned URL expired at ${new Date(claims.expires * 1000).toISOString()}`,
      { key },
    );
  }
  return { ...claims, expiresAt: new Date(claims.expires * 1000) };
}
