import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@padim/db';
import { PRISMA } from '../database/database.module.js';
import type { Actor } from './actor.js';
import type { Viewer } from './models/auth.model.js';
import type { Role } from './roles.js';

/**
 * Who is calling and the organizations they belong to. The raw client on purpose: a user's
 * memberships span organizations, and a user may have no active organization at all.
 */
@Injectable()
export class ViewerService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async viewer(actor: Actor): Promise<Viewer> {
    const user = actor.userId
      ? await this.prisma.user.findUnique({ where: { id: actor.userId } })
      : null;
    const memberships = actor.userId
      ? await this.prisma.membership.findMany({
          where: { userId: actor.userId },
          include: { organization: true },
          orderBy: { createdAt: 'asc' },
        })
      : [];
    const activeOrganization = actor.organizationId
      ? await this.prisma.organization.findUnique({ where: { id: actor.organizationId } })
      : null;
    return {
      user,
      memberships: memberships.map((m) => ({ organization: m.organization, role: m.role as Role })),
      activeOrganization,
      role: actor.role,
    };
  }
}
