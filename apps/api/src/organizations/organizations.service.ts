import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { Organization } from '../auth/models/auth.model.js';
import { Permission, Role } from '../auth/roles.js';
import { PRISMA } from '../database/database.module.js';
import { TenantDb } from '../database/tenant-db.js';
import type { CreateOrganizationInput, UpdateOrganizationInput } from './dto/organization.input.js';
import { OrganizationErrorCode, OrganizationException } from './organizations.exception.js';

const SLUG_ATTEMPTS = 3;
// PostgreSQL text cannot hold NUL; other control characters have no place in a name either.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200 || CONTROL.test(trimmed))
    throw new OrganizationException(
      OrganizationErrorCode.INVALID_NAME,
      'the name must be 1 to 200 characters, without control characters',
    );
  return trimmed;
}

/** URL-safe and unique: a readable stem plus a random suffix (retried on the rare collision). */
function slugify(name: string): string {
  const stem = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${stem || 'org'}-${randomBytes(4).toString('hex')}`;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Organizations are the tenants themselves: the Organization table is not tenant-owned, so this
 * service addresses only the actor's active organization (never an id from the client). Only
 * `create` uses the raw client: the organization it makes is no tenant yet.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async active(actor: Actor): Promise<Organization> {
    const { organizationId, db } = this.tenants.for(actor, Permission.READ);
    const organization = await db.organization.findUnique({
      where: { id: organizationId },
    });
    if (!organization)
      throw new OrganizationException(OrganizationErrorCode.NOT_FOUND, 'no such organization');
    return organization;
  }

  /** A signed-in user creates an organization and becomes its OWNER; the session stays where it is. */
  async create(actor: Actor, input: CreateOrganizationInput): Promise<Organization> {
    const userId = actor.kind === 'user' ? actor.userId : null;
    if (!userId) {
      throw new OrganizationException(
        OrganizationErrorCode.USER_REQUIRED,
        'only a signed-in user can create an organization (API keys belong to one)',
      );
    }
    const name = checkName(input.name);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction(async (tx) => {
          const organization = await tx.organization.create({
            data: { name, slug: slugify(name) },
          });
          await tx.membership.create({
            data: { organizationId: organization.id, userId, role: Role.OWNER },
          });
          await this.audit.record(
            actor,
            {
              organizationId: organization.id,
              action: 'organization.create',
              targetType: 'Organization',
              targetId: organization.id,
              data: { name },
            },
            tx,
          );
          return organization;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= SLUG_ATTEMPTS) throw error;
      }
    }
  }

  async update(actor: Actor, input: UpdateOrganizationInput): Promise<Organization> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_ORGANIZATION);
    const before = await this.active(actor);
    if (input.name === undefined || input.name === null) return before;
    const name = checkName(input.name);
    if (name === before.name) return before;
    return db.$transaction(async (tx) => {
      const organization = await tx.organization.update({
        where: { id: organizationId },
        data: { name },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'organization.update',
          targetType: 'Organization',
          targetId: organizationId,
          data: { name: { from: before.name, to: name } },
        },
        tx,
      );
      return organization;
    });
  }
}
