/**
 * Audit writes, in one place: the API's AuditService and the job handlers both record through
 * `recordAudit`, so every event has the same shape and a readable actor label. Changes nobody asked
 * for directly (a training job ending, a version becoming READY) are the actor 'system'.
 */
import { ActorType, type Prisma, type PrismaClient } from '@padim/db';

/** Who made a change: a signed-in user, an API key, or the platform itself. */
export type AuditActor =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'apiKey'; readonly apiKeyId: string }
  | { readonly kind: 'system' };

export const SYSTEM_ACTOR: AuditActor = Object.freeze({ kind: 'system' });
/** The label of automatic changes. */
export const SYSTEM_ACTOR_LABEL = 'system';

export interface AuditEntry {
  readonly organizationId: string;
  /** e.g. "project.create", "threshold.set", "member.role_change", "training.failed". */
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly data?: Prisma.InputJsonValue;
}

/** The client an audit write goes through: the caller's transaction, so the event exists exactly when the change does. */
export type AuditClient = Pick<PrismaClient, 'auditEvent' | 'apiKey' | 'user'>;

/**
 * Who, readable after the user or key is gone: the email, the key's name and prefix, or "system".
 * Read through the caller's client: inside a transaction on the embedded database (one
 * connection) a query on another client would wait for the transaction forever.
 */
async function actorLabel(db: AuditClient, actor: AuditActor, organizationId: string) {
  if (actor.kind === 'system') return SYSTEM_ACTOR_LABEL;
  if (actor.kind === 'apiKey') {
    const key = await db.apiKey.findFirst({
      where: { id: actor.apiKeyId, organizationId },
      select: { name: true, prefix: true },
    });
    return key ? `API key ${key.name} (${key.prefix})` : 'API key';
  }
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  return user?.email ?? 'unknown';
}

/** Records who changed what; call it inside the transaction of the change. */
export async function recordAudit(
  db: AuditClient,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await db.auditEvent.create({
    data: {
      organizationId: entry.organizationId,
      actorType:
        actor.kind === 'system'
          ? ActorType.SYSTEM
          : actor.kind === 'apiKey'
            ? ActorType.API_KEY
            : ActorType.USER,
      actorLabel: await actorLabel(db, actor, entry.organizationId),
      actorUserId: actor.kind === 'user' ? actor.userId : null,
      actorApiKeyId: actor.kind === 'apiKey' ? actor.apiKeyId : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      ...(entry.data !== undefined ? { data: entry.data } : {}),
    },
  });
}
