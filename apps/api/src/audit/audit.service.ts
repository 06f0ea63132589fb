import { Inject, Injectable } from '@nestjs/common';
import { ActorType, type Prisma, type PrismaClient } from '@padim/db';
import type { Actor } from '../auth/actor.js';
import { PRISMA } from '../database/database.module.js';

export interface AuditEntry {
  readonly organizationId: string;
  /** e.g. "project.create", "threshold.set", "member.role_change". */
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly data?: Prisma.InputJsonValue;
}

/**
 * Records who changed what. Call it inside the transaction of the change (pass `tx`) so the event
 * exists exactly when the change does.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /**
   * Who, readable after the user or key is gone: the email, the key's name and prefix, or
   * "system". Read through the caller's client: inside a transaction on the embedded database
   * (one connection) a query on another client would wait for the transaction forever.
   */
  private async label(
    actor: Actor | null,
    organizationId: string,
    tx: Pick<PrismaClient, 'auditEvent'>,
  ): Promise<string> {
    if (!actor) return 'system';
    const client = ('user' in tx && 'apiKey' in tx ? tx : this.prisma) as PrismaClient;
    if (actor.kind === 'apiKey' && actor.apiKeyId) {
      const key = await client.apiKey.findFirst({
        where: { id: actor.apiKeyId, organizationId },
        select: { name: true, prefix: true },
      });
      return key ? `API key ${key.name} (${key.prefix})` : 'API key';
    }
    if (!actor.userId) return 'unknown';
    const user = await client.user.findUnique({
      where: { id: actor.userId },
      select: { email: true },
    });
    return user?.email ?? 'unknown';
  }

  async record(
    actor: Actor | null,
    entry: AuditEntry,
    tx: Pick<PrismaClient, 'auditEvent'> = this.prisma,
  ): Promise<void> {
    await tx.auditEvent.create({
      data: {
        actorLabel: await this.label(actor, entry.organizationId, tx),
        organizationId: entry.organizationId,
        actorType: !actor
          ? ActorType.SYSTEM
          : actor.kind === 'apiKey'
            ? ActorType.API_KEY
            : ActorType.USER,
        actorUserId: actor?.userId ?? null,
        actorApiKeyId: actor?.apiKeyId ?? null,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        ...(entry.data !== undefined ? { data: entry.data } : {}),
      },
    });
  }
}
