import { randomBytes } from 'node:crypto';
import { API_KEY_PREFIX, SESSION_PREFIX, hashToken } from '@padim/jobs';

/**
 * Opaque bearer tokens. Sessions and API keys are random 256-bit secrets shown once; only their
 * sha256 is stored, so a database leak reveals no usable credential, and revocation is a row update
 * (the reason for opaque tokens over JWTs: instant logout, revocation and role changes). The
 * prefixes and the hash are the platform's (@padim/jobs): the inference service checks keys too.
 */
export { API_KEY_PREFIX, SESSION_PREFIX, hashToken };

export function newToken(prefix: string): { token: string; hash: string; display: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), display: `${token.slice(0, prefix.length + 6)}…` };
}
