import { Injectable } from '@nestjs/common';
import {
  SYSTEM_ACTOR,
  recordAudit,
  type AuditActor,
  type AuditClient,
  type AuditEntry,
} from '@padim/jobs';
import type { Actor } from '../auth/actor.js';

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
 * which the job handlers use too), through the caller's client: the transaction of the change, so
 * the event exists exactly when the change does (and within the caller's tenant).
 */
@Injectable()
export class AuditService {
  async record(actor: Actor | null, entry: AuditEntry, tx: AuditClient): Promise<void> {
    await recordAudit(tx, auditActor(actor), entry);
  }
}
