import type { Role } from '@/gql/graphql';

/** Most powerful first (the API's order). */
export const ROLES = [
  'OWNER',
  'ADMIN',
  'ENGINEER',
  'INSPECTOR',
  'VIEWER',
] as const satisfies readonly Role[];

export const ROLE_TEXT: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  ENGINEER: 'Engineer',
  INSPECTOR: 'Inspector',
  VIEWER: 'Viewer',
};

/** What each role may do, in a line (shown next to the role pickers). */
export const ROLE_HINT: Record<Role, string> = {
  OWNER: 'everything, including the organization itself',
  ADMIN: 'members, API keys, webhooks, and all an engineer does',
  ENGINEER: 'datasets, models, training and thresholds',
  INSPECTOR: 'inspect images and review flagged parts',
  VIEWER: 'read only',
};

const RANK: Record<Role, number> = { OWNER: 0, ADMIN: 1, ENGINEER: 2, INSPECTOR: 3, VIEWER: 4 };

/** Roles `actor` may grant (never above its own), mirroring the API's rule. */
export function assignableRoles(actor: Role | null | undefined): Role[] {
  if (actor !== 'OWNER' && actor !== 'ADMIN') return [];
  return ROLES.filter((r) => RANK[r] >= RANK[actor]);
}
