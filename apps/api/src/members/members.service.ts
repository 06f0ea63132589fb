import { Injectable } from '@nestjs/common';
import { Prisma } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { isEmail } from '../auth/email.js';
import { Permission, Role, canAssign } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import type { AddMemberInput, ChangeMemberRoleInput } from './dto/member.input.js';
import { MemberErrorCode, MemberException } from './members.exception.js';
import type { Member, MemberConnection } from './models/member.model.js';

// PostgreSQL text cannot hold NUL: such input would fail in the database, so it is refused here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The user columns a member exposes: never the password hash. */
const USER = { select: { id: true, email: true, name: true } } as const;

type MembershipRow = Prisma.MembershipGetPayload<{ include: { user: typeof USER } }>;
type Tx = Prisma.TransactionClient;

function toMember(row: MembershipRow): Member {
  return {
    id: row.id,
    user: row.user,
    role: row.role as Role,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Membership is managed by people: an API key could otherwise re-admit a removed admin. */
function requirePerson(actor: Actor): void {
  if (actor.kind !== 'user') {
    throw new MemberException(
      MemberErrorCode.ROLE_NOT_ASSIGNABLE,
      'API keys cannot manage members',
    );
  }
}

/** Roles at least as powerful as `role` would be after a demotion to it: keys above it must go. */
const RANK: Record<Role, number> = { OWNER: 0, ADMIN: 1, ENGINEER: 2, INSPECTOR: 3, VIEWER: 4 };
function rolesAbove(role: Role | null): Role[] {
  return (Object.keys(RANK) as Role[]).filter((r) => role === null || RANK[r] < RANK[role]);
}

function assignable(actorRole: Role, target: Role, what: string): void {
  if (!canAssign(actorRole, target)) {
    throw new MemberException(
      MemberErrorCode.ROLE_NOT_ASSIGNABLE,
      `the ${actorRole} role cannot ${what} ${target}`,
    );
  }
}

/**
 * Serializes membership changes of one organization (row lock on the organization), so that two
 * concurrent demotions cannot both see "another owner exists" and leave none.
 */
async function lockOrganization(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
}

/** Rule: an organization always keeps at least one OWNER. Call under `lockOrganization`. */
async function keepAnOwner(tx: Tx): Promise<void> {
  const owners = await tx.membership.count({ where: { role: Role.OWNER } });
  if (owners <= 1) {
    throw new MemberException(
      MemberErrorCode.LAST_OWNER,
      'the organization must keep an OWNER: promote another member first',
    );
  }
}

/**
 * Members of the actor's active organization. Rules: MANAGE_MEMBERS (ADMIN+) to change anything;
 * nobody grants, or touches a member holding, a role above their own (so an ADMIN cannot touch
 * an OWNER); the last OWNER can be neither demoted nor removed. Every change is audited.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    first: number | undefined,
    after: string | undefined,
  ): Promise<MemberConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.membership.findMany({
      where,
      orderBy,
      take,
      include: { user: USER },
    });
    return toConnection(rows, size, toMember);
  }

  async add(actor: Actor, input: AddMemberInput): Promise<Member> {
    requirePerson(actor);
    const {
      organizationId,
      role: actorRole,
      db,
    } = this.tenants.for(actor, Permission.MANAGE_MEMBERS);
    assignable(actorRole, input.role, 'grant');
    const email = input.email.trim().toLowerCase();
    if (!isEmail(email))
      throw new MemberException(MemberErrorCode.INVALID_EMAIL, 'that is not an email address');
    const user = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) {
      throw new MemberException(
        MemberErrorCode.USER_NOT_FOUND,
        'no account with this email: the person must sign up first',
      );
    }
    try {
      return await db.$transaction(async (tx) => {
        const row = await tx.membership.create({
          data: { organizationId, userId: user.id, role: input.role },
          include: { user: USER },
        });
        await this.audit.record(
          actor,
          {
            organizationId,
            action: 'member.add',
            targetType: 'Membership',
            targetId: row.id,
            data: { userId: user.id, role: input.role },
          },
          tx,
        );
        return toMember(row);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new MemberException(MemberErrorCode.ALREADY_MEMBER, 'this user is already a member');
      }
      throw error;
    }
  }

  async changeRole(actor: Actor, input: ChangeMemberRoleInput): Promise<Member> {
    requirePerson(actor);
    const {
      organizationId,
      role: actorRole,
      db,
    } = this.tenants.for(actor, Permission.MANAGE_MEMBERS);
    return db.$transaction(async (tx) => {
      await lockOrganization(tx, organizationId);
      const target = await this.find(tx, input.userId);
      assignable(actorRole, target.role as Role, 'change a member who is');
      assignable(actorRole, input.role, 'grant');
      if (target.role === input.role) return toMember(target);
      if (target.role === Role.OWNER) await keepAnOwner(tx);
      const row = await tx.membership.update({
        where: { id: target.id },
        data: { role: input.role },
        include: { user: USER },
      });
      // Keys this member created may not keep powers the member no longer has.
      await tx.apiKey.updateMany({
        where: {
          createdById: target.userId,
          revokedAt: null,
          role: { in: rolesAbove(input.role) },
        },
        data: { revokedAt: new Date() },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'member.role_change',
          targetType: 'Membership',
          targetId: row.id,
          data: { userId: row.userId, from: target.role, to: input.role },
        },
        tx,
      );
      return toMember(row);
    });
  }

  async remove(actor: Actor, userId: string): Promise<Member> {
    requirePerson(actor);
    const {
      organizationId,
      role: actorRole,
      db,
    } = this.tenants.for(actor, Permission.MANAGE_MEMBERS);
    return db.$transaction(async (tx) => {
      await lockOrganization(tx, organizationId);
      const target = await this.find(tx, userId);
      assignable(actorRole, target.role as Role, 'remove a member who is');
      if (target.role === Role.OWNER) await keepAnOwner(tx);
      await tx.membership.delete({ where: { id: target.id } });
      // A removed member's keys stop working with them.
      await tx.apiKey.updateMany({
        where: { createdById: target.userId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'member.remove',
          targetType: 'Membership',
          targetId: target.id,
          data: { userId: target.userId, role: target.role },
        },
        tx,
      );
      return toMember(target);
    });
  }

  /** `tx` comes from a tenant client: a user of another organization is simply not found. */
  private async find(tx: Tx, userId: string): Promise<MembershipRow> {
    const row = CONTROL.test(userId)
      ? null
      : await tx.membership.findFirst({ where: { userId }, include: { user: USER } });
    if (!row) throw new MemberException(MemberErrorCode.NOT_FOUND, 'no such member');
    return row;
  }
}
