/**
 * Who may do what, in one place for every entry point: GraphQL (sessions and API keys) and the
 * inference service's POST /predict. Roles grant permissions through one matrix; API keys are
 * looked up, checked and stamped by one function.
 */
import { createHash } from 'node:crypto';
import type { PrismaClient } from '@padim/db';

/** Membership roles, most powerful first. */
export enum Role {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  ENGINEER = 'ENGINEER',
  INSPECTOR = 'INSPECTOR',
  VIEWER = 'VIEWER',
}

/** What an operation needs. Each role grants a set of these; services check them first. */
export enum Permission {
  READ = 'READ',
  REVIEW = 'REVIEW',
  /** Submit images for inspection: GraphQL inspectImage(s) and POST /predict. */
  INSPECT = 'INSPECT',
  MANAGE_MODELS = 'MANAGE_MODELS',
  MANAGE_DATASETS = 'MANAGE_DATASETS',
  SET_THRESHOLDS = 'SET_THRESHOLDS',
  MANAGE_PROJECTS = 'MANAGE_PROJECTS',
  MANAGE_MEMBERS = 'MANAGE_MEMBERS',
  MANAGE_API_KEYS = 'MANAGE_API_KEYS',
  MANAGE_WEBHOOKS = 'MANAGE_WEBHOOKS',
  MANAGE_ORGANIZATION = 'MANAGE_ORGANIZATION',
}

const VIEWER = [Permission.READ];
const INSPECTOR = [...VIEWER, Permission.REVIEW, Permission.INSPECT];
const ENGINEER = [
  ...INSPECTOR,
  Permission.MANAGE_MODELS,
  Permission.MANAGE_DATASETS,
  Permission.SET_THRESHOLDS,
  Permission.MANAGE_PROJECTS,
];
const ADMIN = [
  ...ENGINEER,
  Permission.MANAGE_MEMBERS,
  Permission.MANAGE_API_KEYS,
  Permission.MANAGE_WEBHOOKS,
];
const OWNER = [...ADMIN, Permission.MANAGE_ORGANIZATION];

/** The permission matrix: what each role may do, whether it signs in or holds an API key. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  [Role.OWNER]: new Set(OWNER),
  [Role.ADMIN]: new Set(ADMIN),
  [Role.ENGINEER]: new Set(ENGINEER),
  [Role.INSPECTOR]: new Set(INSPECTOR),
  [Role.VIEWER]: new Set(VIEWER),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

const RANK: Record<Role, number> = { OWNER: 0, ADMIN: 1, ENGINEER: 2, INSPECTOR: 3, VIEWER: 4 };

/** Whether `actor` may grant or change `target` (never above its own role). */
export function canAssign(actor: Role, target: Role): boolean {
  return can(actor, Permission.MANAGE_MEMBERS) && RANK[actor] <= RANK[target];
}

/**
 * Opaque bearer tokens. Sessions and API keys are random 256-bit secrets shown once; only their
 * sha256 is stored, so a database leak reveals no usable credential, and revocation is a row update.
 */
export const SESSION_PREFIX = 'pds_';
export const API_KEY_PREFIX = 'pdk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** lastUsedAt is written at most this often per key (bookkeeping, not an audit trail). */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** An authenticated API key: it acts in its organization with its role. */
export interface ApiKeyPrincipal {
  readonly apiKeyId: string;
  readonly organizationId: string;
  readonly role: Role;
}

/**
 * The API key behind `token`, or null when it is not an API key, unknown, revoked or expired.
 * Stamps lastUsedAt (throttled); a failed stamp is reported to `onStampError`, never fatal.
 */
export async function authenticateApiKey(
  prisma: PrismaClient,
  token: string,
  options: { readonly now?: Date; readonly onStampError?: (error: unknown) => void } = {},
): Promise<ApiKeyPrincipal | null> {
  if (!token.startsWith(API_KEY_PREFIX)) return null;
  const now = options.now ?? new Date();
  const key = await prisma.apiKey.findUnique({ where: { keyHash: hashToken(token) } });
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey
      .update({ where: { id: key.id }, data: { lastUsedAt: now } })
      .catch((error: unknown) => options.onStampError?.(error));
  }
  return { apiKeyId: key.id, organizationId: key.organizationId, role: key.role as Role };
}
