import { Injectable } from '@nestjs/common';
import type { Prisma } from '@padim/db';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { ApiErrorCode, DomainError } from '../common/errors.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import type { AuditEventFilter } from './dto/audit-events.args.js';
import type { AuditEventConnection } from './models/audit-event.model.js';

export enum AuditLogErrorCode {
  INVALID_FILTER = 'AUDIT_INVALID_FILTER',
}

export class AuditLogException extends DomainError<AuditLogErrorCode> {
  readonly apiCode = ApiErrorCode.BAD_USER_INPUT;
}

/**
 * Who may read the audit log: the administrators (ADMIN, OWNER). There is no dedicated permission
 * in roles.ts; MANAGE_MEMBERS is granted to exactly those roles.
 */
export const READ_AUDIT_LOG = Permission.MANAGE_MEMBERS;

const MAX_FILTER = 200;

@Injectable()
export class AuditLogService {
  constructor(private readonly tenants: TenantDb) {}

  async list(
    actor: Actor,
    filter: AuditEventFilter | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<AuditEventConnection> {
    const { db } = this.tenants.for(actor, READ_AUDIT_LOG);
    const conditions: Prisma.AuditEventWhereInput = {};
    for (const key of ['targetType', 'targetId', 'actorUserId', 'action'] as const) {
      const value = filter?.[key];
      if (value === undefined || value === null) continue;
      if (value.length > MAX_FILTER)
        throw new AuditLogException(
          AuditLogErrorCode.INVALID_FILTER,
          `${key} is limited to ${MAX_FILTER} characters`,
        );
      conditions[key] = value;
    }
    const window = pageWindow({ first, after });
    const rows = await db.auditEvent.findMany({
      where: { AND: [window.where as Prisma.AuditEventWhereInput, conditions] },
      orderBy: window.orderBy,
      take: window.take,
    });
    return toConnection(rows, window.size);
  }
}
