import { forTenant, type PrismaClient } from '@padim/db';
import { requireTenant, type Actor } from '../auth/actor.js';
import type { Permission, Role } from '../auth/roles.js';

/** An actor's organization, its role there, and a client confined to that organization. */
export interface Tenant {
  readonly organizationId: string;
  readonly role: Role;
  /** `forTenant(prisma, organizationId)`: every tenant-owned model is filtered to this organization. */
  readonly db: PrismaClient;
}

/** Tenant clients kept (by organization); the oldest is dropped beyond this. */
const CLIENTS_MAX = 1000;

/**
 * The only way a service reaches tenant data: `tenants.for(actor, permission)` checks the
 * permission (requireTenant) and hands back the organization's client. Services never hold the
 * raw client (a lint rule forbids PRISMA and forTenant outside an allow-list).
 *
 * A singleton, not a Nest REQUEST/CONTEXT-scoped provider: request scope would re-create every
 * dependent resolver and service per request, and it cannot see the actor at construction time
 * (AuthGuard sets it later), nor serve graphql-ws subscriptions or the embedded worker, which run
 * outside a request. The actor is passed explicitly instead, as it already is everywhere.
 */
export class TenantDb {
  private readonly clients = new Map<string, PrismaClient>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Throws NO_ORGANIZATION or PERMISSION_DENIED (AuthException) unless `actor` may `permission`. */
  for(actor: Actor, permission: Permission): Tenant {
    const { organizationId, role } = requireTenant(actor, permission);
    return { organizationId, role, db: this.client(organizationId) };
  }

  /** Memoised per organization: `$extends` builds a new client object on every call. */
  private client(organizationId: string): PrismaClient {
    let db = this.clients.get(organizationId);
    if (db) {
      // Most recently used last, so that eviction drops the least recently used.
      this.clients.delete(organizationId);
    } else {
      db = forTenant(this.prisma, organizationId);
      if (this.clients.size >= CLIENTS_MAX)
        this.clients.delete(this.clients.keys().next().value as string);
    }
    this.clients.set(organizationId, db);
    return db;
  }
}
