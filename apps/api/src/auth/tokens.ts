import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque bearer tokens. Sessions and API keys are random 256-bit secrets shown once; only their
 * sha256 is stored, so a database leak reveals no usable credential, and revocation is a row update
 * (the reason for opaque tokens over JWTs: instant logout, revocation and role changes).
 */
export const SESSION_PREFIX = 'pds_';
export const API_KEY_PREFIX = 'pdk_';

export function newToken(prefix: string): { token: string; hash: string; display: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), display: `${token.slice(0, prefix.length + 6)}…` };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
