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
  /** Submit images for inspection. */
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
