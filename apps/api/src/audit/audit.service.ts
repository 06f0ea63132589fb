import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@padim/db';
import {
  SYSTEM_ACTOR,
  recordAudit,
  type AuditActor,
  type AuditClient,
  type AuditEntry,
} from '@padim/jobs';
import type { Actor } from '../auth/actor.js';
import { PRISMA } from '../database/database.module.js';

export type { AuditEntry };

/** The audit actor of a GraphQL caller; null (no caller: an automatic change) is the system. */
export function auditActor(actor: Actor | null): AuditActor {
  if (actor?.kind === 'apiKey' && actor.apiKeyId)
    return { kind: 'apiKey', apiKeyId: actor.apiKeyId };
  if (actor?.kind === 'user' && actor.userId) return { kind: 'user', userId: actor.userId };
  return SYSTEM_ACTOR;
}

/**
 * Records who changed what, through the platform's one audit writer (@padim/jobs `recordAudit`,
 * which the job handlers use too). Call it inside the transaction of the change (pass `tx`) so
 * the event exists exactly when the change does.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async record(
    actor: Actor | null,
    entry: AuditEntry,
    tx: AuditClient = this.prisma,
  ): Promise<void> {
    await recordAudit(tx, auditActor(actor), entry);
  }
}
